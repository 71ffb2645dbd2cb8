import { useCallback, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { ImportPanel } from "./ImportPanel";
import { collectionStatus, snapshotOf, statusText, trainingProgress } from "./training";
import type { CollectionItem, Page, TrainingQueue } from "./types";
import { useTrainingPoll } from "./useTrainingPoll";

const PAGE_SIZE = 20;

/** The dataset's collections with live training progress, and the import panel. */
export function CollectionsTab({ datasetId }: { datasetId: string }) {
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState("");
  const [collections, setCollections] = useState<Page<CollectionItem>>();
  const [queue, setQueue] = useState<TrainingQueue>();
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    const [page, counts] = await Promise.all([
      api.post<Page<CollectionItem>>("/api/core/dataset/collection/listV2", {
        datasetId,
        offset,
        pageSize: PAGE_SIZE,
        searchText: search.trim() || undefined,
      }),
      api.get<TrainingQueue>("/api/core/dataset/training/getDatasetTrainingQueue", { datasetId }),
    ]);
    setCollections(page);
    setQueue(counts);
    setError(null);
    return snapshotOf(page.list, counts);
  }, [datasetId, offset, search]);
  const { polling, kick } = useTrainingPoll(refresh, setError);

  async function remove(item: CollectionItem) {
    if (!window.confirm(`Delete ${item.name} and its chunks?`)) return;
    try {
      await api.del("/api/core/dataset/collection/delete", { id: item._id });
      kick();
    } catch (err) {
      setError(err);
    }
  }

  const total = collections?.total ?? 0;
  return (
    <>
      <ImportPanel datasetId={datasetId} onImported={kick} />
      <section aria-label="Collections">
        <div className="ds-toolbar">
          <h2>Collections</h2>
          <input
            type="search"
            aria-label="Search collections"
            placeholder="Search by name"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
          <TrainingBanner queue={queue} polling={polling} />
        </div>
        <ErrorText error={error} />
        <table className="table" aria-label="Collections">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Mode</th>
              <th>Chunks</th>
              <th>Training</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(collections?.list ?? []).map((item) => (
              <CollectionRow key={item._id} item={item} onDelete={() => void remove(item)} />
            ))}
          </tbody>
        </table>
        {collections && total === 0 ? <p className="muted">No collections yet: add data above.</p> : null}
        {total > PAGE_SIZE ? (
          <div className="actions ds-pager">
            <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
              Previous
            </button>
            <span className="muted">
              {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total}
            </span>
            <button
              type="button"
              className="secondary"
              disabled={offset + PAGE_SIZE >= total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              Next
            </button>
          </div>
        ) : null}
      </section>
    </>
  );
}

function TrainingBanner({ queue, polling }: { queue?: TrainingQueue; polling: boolean }) {
  if (!queue) return null;
  const waiting = queue.trainingCount + queue.rebuildingCount;
  return (
    <span className="ds-queue" role="status" aria-label="Training queue">
      {waiting === 0
        ? "Training queue empty"
        : `${queue.trainingCount} chunk${queue.trainingCount === 1 ? "" : "s"} in the training queue` +
          (queue.rebuildingCount ? ` · ${queue.rebuildingCount} rebuilding` : "")}
      {polling ? <span className="ds-live"> · updating</span> : null}
    </span>
  );
}

function CollectionRow({ item, onDelete }: { item: CollectionItem; onDelete: () => void }) {
  const status = collectionStatus(item);
  const progress = trainingProgress(item);
  const chunksLink = `?collection=${item._id}`;
  return (
    <tr>
      <td>
        {item.type === "folder" ? item.name : <Link to={chunksLink}>{item.name}</Link>}
        {item.rawLink ? <div className="muted ds-ellipsis">{item.rawLink}</div> : null}
      </td>
      <td>{item.type}</td>
      <td>{item.trainingType ?? ""}</td>
      <td>{item.dataAmount}</td>
      <td className={`ds-status ds-status-${status}`}>
        {status === "running" ? (
          <progress max={100} value={progress.percent} aria-label={`Training of ${item.name}`} />
        ) : null}
        <span>{statusText(item)}</span>
        {status === "error" ? (
          <>
            {" "}
            <Link to={`${chunksLink}&view=errors`}>See errors</Link>
          </>
        ) : null}
      </td>
      <td>{item.updateTime ? new Date(item.updateTime).toLocaleString() : ""}</td>
      <td>
        <div className="actions">
          {item.type === "folder" ? null : <Link to={chunksLink} aria-label={`Chunks of ${item.name}`}>Chunks</Link>}
          <button type="button" className="link danger" onClick={onDelete} aria-label={`Delete ${item.name}`}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
