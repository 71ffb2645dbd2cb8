import { useRef, useState, type FormEvent } from "react";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { chunkFormError, chunkParams, DEFAULT_CHUNK_FORM, type ChunkForm } from "./chunkSettings";
import type { CollectionCreated } from "./types";
import { uploadForm } from "./upload";

const SOURCES = ["Local files", "Text", "Link"] as const;
type Source = (typeof SOURCES)[number];
const ACCEPT = ".txt,.md,.markdown,.html,.htm,.pdf,.docx,.pptx,.csv,.xlsx";

/** Add data to a dataset: upload local files (with progress), paste text, or fetch a link. */
export function ImportPanel({ datasetId, onImported }: { datasetId: string; onImported: () => void }) {
  const [source, setSource] = useState<Source>("Local files");
  const [chunks, setChunks] = useState<ChunkForm>(DEFAULT_CHUNK_FORM);
  return (
    <section className="card ds-import" aria-label="Add data">
      <h2>Add data</h2>
      <div className="tabs" role="tablist" aria-label="Import source">
        {SOURCES.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={source === name}
            className={source === name ? "tab active" : "tab"}
            onClick={() => setSource(name)}
          >
            {name}
          </button>
        ))}
      </div>
      <ChunkSettingsFields form={chunks} onChange={setChunks} />
      {source === "Local files" ? <FileImport datasetId={datasetId} chunks={chunks} onImported={onImported} /> : null}
      {source === "Text" ? <TextImport datasetId={datasetId} chunks={chunks} onImported={onImported} /> : null}
      {source === "Link" ? <LinkImport datasetId={datasetId} chunks={chunks} onImported={onImported} /> : null}
    </section>
  );
}

function ChunkSettingsFields({ form, onChange }: { form: ChunkForm; onChange: (form: ChunkForm) => void }) {
  const set = <K extends keyof ChunkForm>(key: K, value: ChunkForm[K]) => onChange({ ...form, [key]: value });
  return (
    <fieldset className="ds-chunk-settings">
      <legend>Processing</legend>
      <label>
        Training mode
        <select value={form.trainingType} onChange={(e) => set("trainingType", e.target.value as ChunkForm["trainingType"])}>
          <option value="chunk">Chunks</option>
          <option value="qa">Q&amp;A pairs (by the agent model)</option>
        </select>
      </label>
      <label>
        Chunk settings
        <select value={form.settingMode} onChange={(e) => set("settingMode", e.target.value as ChunkForm["settingMode"])}>
          <option value="auto">Automatic</option>
          <option value="custom">Custom</option>
        </select>
      </label>
      {form.settingMode === "custom" ? (
        <>
          <label>
            Split by
            <select value={form.splitMode} onChange={(e) => set("splitMode", e.target.value as ChunkForm["splitMode"])}>
              <option value="paragraph">Paragraphs and headings</option>
              <option value="size">Length</option>
            </select>
          </label>
          <label>
            Chunk size
            <input type="number" min={64} step={1} value={form.chunkSize} onChange={(e) => set("chunkSize", e.target.value)} />
          </label>
        </>
      ) : null}
      <label className="inline">
        <input type="checkbox" checked={form.forceChunk} onChange={(e) => set("forceChunk", e.target.checked)} />
        Split short texts too
      </label>
    </fieldset>
  );
}

interface ImportProps {
  datasetId: string;
  chunks: ChunkForm;
  onImported: () => void;
}

interface FileUpload {
  key: string;
  name: string;
  size: number;
  percent: number;
  state: "waiting" | "uploading" | "done" | "failed";
  message: string;
}

function FileImport({ datasetId, chunks, onImported }: ImportProps) {
  const [files, setFiles] = useState<File[]>([]);
  const [uploads, setUploads] = useState<FileUpload[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const patch = (key: string, change: Partial<FileUpload>) =>
    setUploads((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));

  async function upload(event: FormEvent) {
    event.preventDefault();
    const invalid = chunkFormError(chunks);
    if (invalid) return setError(new Error(invalid));
    setError(null);
    setBusy(true);
    const batch = files.map((file, index) => ({ file, key: `${Date.now()}-${index}-${file.name}` }));
    setUploads(batch.map(({ file, key }) => ({ key, name: file.name, size: file.size, percent: 0, state: "waiting", message: "" })));
    // One file at a time: each bar moves on its own and the server parses one file per request anyway.
    for (const { file, key } of batch) {
      patch(key, { state: "uploading" });
      const form = new FormData();
      form.append("file", file, file.name);
      form.append("data", JSON.stringify({ datasetId, ...chunkParams(chunks) }));
      try {
        const created = await uploadForm<CollectionCreated>("/api/core/dataset/collection/create/localFile", form, {
          onProgress: (progress) => patch(key, { percent: progress.percent }),
        });
        patch(key, { percent: 100, state: "done", message: `${created.results.insertLen} chunks queued` });
        onImported();
      } catch (err) {
        patch(key, { state: "failed", message: err instanceof Error ? err.message : String(err) });
      }
    }
    setFiles([]);
    if (input.current) input.current.value = "";
    setBusy(false);
  }

  return (
    <form onSubmit={upload} aria-label="Upload files">
      <label>
        Files
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
      </label>
      <p className="hint">txt, md, html, pdf, docx, pptx, csv or xlsx; each file becomes one collection.</p>
      <button type="submit" disabled={busy || files.length === 0}>
        {files.length > 1 ? `Upload ${files.length} files` : "Upload"}
      </button>
      <ErrorText error={error} />
      {uploads.length > 0 ? (
        <ul className="ds-uploads" aria-label="Uploads">
          {uploads.map((item) => (
            <li key={item.key} className={`ds-upload ds-upload-${item.state}`}>
              <span className="ds-upload-name">{item.name}</span>
              <progress max={100} value={item.percent} aria-label={`Upload of ${item.name}`} />
              <span className="ds-upload-state">
                {item.state === "waiting" ? "Waiting" : null}
                {item.state === "uploading" ? `${item.percent}%` : null}
                {item.state === "done" ? `Uploaded · ${item.message}` : null}
              </span>
              {item.state === "failed" ? (
                <span className="error" role="alert">
                  {item.message}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

function TextImport({ datasetId, chunks, onImported }: ImportProps) {
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    const invalid = chunkFormError(chunks);
    if (invalid) return setError(new Error(invalid));
    setError(null);
    setDone("");
    setBusy(true);
    try {
      const created = await api.post<CollectionCreated>("/api/core/dataset/collection/create/text", {
        datasetId,
        name: name.trim(),
        text,
        ...chunkParams(chunks),
      });
      setDone(`Created “${name.trim()}” · ${created.results.insertLen} chunks queued`);
      setName("");
      setText("");
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Import text">
      <label>
        Collection name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={400} />
      </label>
      <label>
        Text
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={8} required />
      </label>
      <button type="submit" disabled={busy || !name.trim() || !text.trim()}>
        Import text
      </button>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <ErrorText error={error} />
    </form>
  );
}

function LinkImport({ datasetId, chunks, onImported }: ImportProps) {
  const [link, setLink] = useState("");
  const [selector, setSelector] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    const invalid = chunkFormError(chunks);
    if (invalid) return setError(new Error(invalid));
    setError(null);
    setDone("");
    setBusy(true);
    try {
      const created = await api.post<CollectionCreated>("/api/core/dataset/collection/create/link", {
        datasetId,
        link: link.trim(),
        metadata: selector.trim() ? { webPageSelector: selector.trim() } : {},
        ...chunkParams(chunks),
      });
      setDone(`Fetched ${link.trim()} · ${created.results.insertLen} chunks queued`);
      setLink("");
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Import link">
      <label>
        Web page URL
        <input type="url" value={link} onChange={(e) => setLink(e.target.value)} placeholder="https://" required />
      </label>
      <label>
        CSS selector (optional)
        <input value={selector} onChange={(e) => setSelector(e.target.value)} placeholder="article, .content" />
      </label>
      <button type="submit" disabled={busy || !link.trim()}>
        {busy ? "Fetching…" : "Import link"}
      </button>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <ErrorText error={error} />
    </form>
  );
}
