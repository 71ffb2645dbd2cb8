import { useState, type FormEvent } from "react";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import type { ChunkItem, Page } from "./types";

const PAGE_SIZE = 30;

/** A collection's chunks: browse, search, view and edit q/a, delete, insert one. */
export function ChunksPanel({ collectionId, onChanged }: { collectionId: string; onChanged: () => void }) {
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState("");
  const { data, error, reload } = useLoad(
    () =>
      api.post<Page<ChunkItem>>("/api/core/dataset/data/v2/list", {
        collectionId,
        offset,
        pageSize: PAGE_SIZE,
        searchText: search.trim() || undefined,
      }),
    [collectionId, offset, search],
  );
  const [actionError, setActionError] = useState<unknown>(null);

  async function changed() {
    await reload();
    onChanged();
  }

  async function remove(chunk: ChunkItem) {
    if (!window.confirm(`Delete chunk #${chunk.chunkIndex}?`)) return;
    setActionError(null);
    try {
      await api.del("/api/core/dataset/data/delete", { id: chunk._id });
      await changed();
    } catch (err) {
      setActionError(err);
    }
  }

  const total = data?.total ?? 0;
  return (
    <section aria-label="Chunks">
      <div className="ds-toolbar">
        <h3>Chunks ({total})</h3>
        <input
          type="search"
          aria-label="Search chunks"
          placeholder="Search text"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setOffset(0);
          }}
        />
      </div>
      <InsertChunk collectionId={collectionId} onInserted={changed} />
      <ErrorText error={error ?? actionError} />
      <ol className="ds-chunks" aria-label="Chunk list">
        {(data?.list ?? []).map((chunk) => (
          <ChunkCard key={chunk._id} chunk={chunk} onSaved={changed} onDelete={() => void remove(chunk)} />
        ))}
      </ol>
      {data && total === 0 ? <p className="muted">No chunks yet{search ? " match" : ""}.</p> : null}
      {total > PAGE_SIZE ? (
        <div className="actions ds-pager">
          <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            Previous
          </button>
          <span className="muted">
            {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total}
          </span>
          <button type="button" className="secondary" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
            Next
          </button>
        </div>
      ) : null}
    </section>
  );
}

function ChunkCard({ chunk, onSaved, onDelete }: { chunk: ChunkItem; onSaved: () => Promise<void>; onDelete: () => void }) {
  const [editing, setEditing] = useState(false);
  const [q, setQ] = useState(chunk.q);
  const [a, setA] = useState(chunk.a ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = `Chunk #${chunk.chunkIndex}`;

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.put("/api/core/dataset/data/update", { dataId: chunk._id, q, a });
      setEditing(false);
      await onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="card ds-chunk" aria-label={label}>
      <div className="ds-chunk-head">
        <strong>{label}</strong>
        {chunk.rebuilding ? <span className="muted">rebuilding</span> : null}
        <span className="actions">
          {editing ? null : (
            <button
              type="button"
              className="link"
              aria-label={`Edit chunk #${chunk.chunkIndex}`}
              onClick={() => {
                setQ(chunk.q);
                setA(chunk.a ?? "");
                setEditing(true);
              }}
            >
              Edit
            </button>
          )}
          <button type="button" className="link danger" aria-label={`Delete chunk #${chunk.chunkIndex}`} onClick={onDelete}>
            Delete
          </button>
        </span>
      </div>
      {editing ? (
        <form onSubmit={save} aria-label={`Edit ${label}`}>
          <label>
            Main text
            <textarea value={q} onChange={(e) => setQ(e.target.value)} rows={6} required />
          </label>
          <label>
            Supplementary text
            <textarea value={a} onChange={(e) => setA(e.target.value)} rows={3} />
          </label>
          <div className="actions">
            <button type="submit" disabled={busy || !q.trim()}>
              Save
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
            {busy ? <span className="muted">Saving and re-embedding…</span> : null}
          </div>
          <ErrorText error={error} />
        </form>
      ) : (
        <>
          <p className="ds-chunk-text">{chunk.q}</p>
          {chunk.a ? <p className="ds-chunk-text ds-chunk-a">{chunk.a}</p> : null}
        </>
      )}
    </li>
  );
}

function InsertChunk({ collectionId, onInserted }: { collectionId: string; onInserted: () => Promise<void> }) {
  const [q, setQ] = useState("");
  const [a, setA] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function insert(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post<string>("/api/core/dataset/data/insertData", { collectionId, q, a });
      setQ("");
      setA("");
      await onInserted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="card ds-insert">
      <summary>Insert a chunk</summary>
      <form onSubmit={insert} aria-label="Insert chunk">
        <label>
          New chunk text
          <textarea value={q} onChange={(e) => setQ(e.target.value)} rows={4} required />
        </label>
        <label>
          New chunk supplementary text
          <textarea value={a} onChange={(e) => setA(e.target.value)} rows={2} />
        </label>
        <button type="submit" disabled={busy || !q.trim()}>
          {busy ? "Inserting…" : "Insert"}
        </button>
        <ErrorText error={error} />
      </form>
    </details>
  );
}
