import { Link } from "react-router";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { ChunksPanel } from "./ChunksPanel";
import { TrainingErrors } from "./TrainingErrors";
import type { CollectionDetail } from "./types";

/** One collection: its facts, failed training jobs and chunks (`?collection=<id>` on the dataset page). */
export function CollectionView({
  datasetId,
  collectionId,
  focusErrors,
}: {
  datasetId: string;
  collectionId: string;
  focusErrors: boolean;
}) {
  const { data: collection, error, reload } = useLoad(
    () => api.get<CollectionDetail>("/api/core/dataset/collection/detail", { id: collectionId }),
    [collectionId],
  );
  return (
    <section className="ds-collection" aria-label="Collection">
      <p>
        <Link to={`/datasets/${datasetId}`}>← All collections</Link>
      </p>
      <ErrorText error={error} />
      {collection ? (
        <>
          <h2>{collection.name}</h2>
          <dl className="facts">
            <dt>Type</dt>
            <dd>{collection.type}</dd>
            <dt>Training mode</dt>
            <dd>{collection.trainingType ?? ""}</dd>
            <dt>Chunks</dt>
            <dd>{collection.dataAmount}</dd>
            {collection.rawLink ? (
              <>
                <dt>Source</dt>
                <dd className="ds-ellipsis">{collection.rawLink}</dd>
              </>
            ) : null}
            {collection.rawTextLength ? (
              <>
                <dt>Characters</dt>
                <dd>{collection.rawTextLength}</dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}
      <TrainingErrors datasetId={datasetId} collectionId={collectionId} open={focusErrors} onChanged={reload} />
      <ChunksPanel collectionId={collectionId} onChanged={reload} />
    </section>
  );
}
