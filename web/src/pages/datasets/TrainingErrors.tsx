import { useState } from "react";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import type { Page, TrainingErrorItem } from "./types";

const PAGE_SIZE = 20;

/** Failed training jobs of a collection: retry (optionally with edited text), retry all, or delete. */
export function TrainingErrors({
  datasetId,
  collectionId,
  open,
  onChanged,
}: {
  datasetId: string;
  collectionId: string;
  open: boolean;
  onChanged: () => void;
}) {
  const { data, error, reload } = useLoad(
    () =>
      api.post<Page<TrainingErrorItem>>("/api/core/dataset/training/getTrainingError", {
        collectionId,
        offset: 0,
        pageSize: PAGE_SIZE,
      }),
    [collectionId],
  );
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");

  async function act(run: () => Promise<unknown>, done: string) {
    setActionError(null);
    setNotice("");
    try {
      await run();
      setNotice(done);
      await reload();
      onChanged();
    } catch (err) {
      setActionError(err);
    }
  }

  const total = data?.total ?? 0;
  if (!open && total === 0 && !error) return null;
  return (
    <section className="card ds-errors" aria-label="Training errors">
      <div className="ds-toolbar">
        <h3>Training errors ({total})</h3>
        <button type="button" className="secondary" onClick={() => void reload()}>
          Refresh
        </button>
        {total > 0 ? (
          <button
            type="button"
            onClick={() =>
              void act(
                () => api.put("/api/core/dataset/training/updateTrainingData", { datasetId, collectionId }),
                "All failed chunks were queued again",
              )
            }
          >
            Retry all
          </button>
        ) : null}
      </div>
      <ErrorText error={error ?? actionError} />
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {total === 0 ? <p className="muted">No failed training jobs.</p> : null}
      <ul className="ds-error-list">
        {(data?.list ?? []).map((item) => (
          <ErrorItem
            key={item._id}
            item={item}
            onRetry={(q) =>
              act(
                () =>
                  api.put("/api/core/dataset/training/updateTrainingData", {
                    datasetId,
                    collectionId,
                    dataId: item._id,
                    ...(q !== undefined ? { q } : {}),
                  }),
                `Chunk #${item.chunkIndex} was queued again`,
              )
            }
            onDelete={() =>
              act(
                () =>
                  api.del("/api/core/dataset/training/deleteTrainingData", undefined, {
                    body: { datasetId, collectionId, dataId: item._id },
                  }),
                `Chunk #${item.chunkIndex} was dropped`,
              )
            }
          />
        ))}
      </ul>
      {total > PAGE_SIZE ? <p className="muted">Showing the first {PAGE_SIZE}; retry or delete them to see more.</p> : null}
    </section>
  );
}

function ErrorItem({
  item,
  onRetry,
  onDelete,
}: {
  item: TrainingErrorItem;
  onRetry: (q?: string) => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [q, setQ] = useState(item.q);
  return (
    <li className="ds-error-item">
      <div className="ds-error-head">
        <strong>Chunk #{item.chunkIndex}</strong>
        <span className="muted">
          {item.mode} · {item.retryCount} retries left
        </span>
      </div>
      <p className="error">{item.errorMsg}</p>
      {editing ? (
        <textarea aria-label={`Text of failed chunk ${item.chunkIndex}`} value={q} onChange={(e) => setQ(e.target.value)} rows={4} />
      ) : (
        <p className="ds-chunk-text">{item.q}</p>
      )}
      <div className="actions">
        {editing ? (
          <>
            <button type="button" onClick={() => void onRetry(q)}>
              Save and retry
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={() => void onRetry()}>
              Retry
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              Edit
            </button>
          </>
        )}
        <button type="button" className="link danger" onClick={() => void onDelete()}>
          Delete
        </button>
      </div>
    </li>
  );
}
