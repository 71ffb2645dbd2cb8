import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { fetchModels, modelName, modelsOfType } from "./models";
import type { DatasetItem, ModelItem } from "./types";
import "./datasets.css";

/** `/datasets`: the knowledge bases (and folders) of the team; create and delete. `?parentId=` opens a folder. */
export function DatasetsPage() {
  const [params] = useSearchParams();
  const parentId = params.get("parentId") || null;
  const { data: datasets, error, loading, reload } = useLoad(
    () => api.post<DatasetItem[]>("/api/core/dataset/list", { parentId }),
    [parentId],
  );
  const { data: models, error: modelError } = useLoad(fetchModels, []);
  const [actionError, setActionError] = useState<unknown>(null);

  async function remove(dataset: DatasetItem) {
    if (!window.confirm(`Delete ${dataset.name} and everything in it?`)) return;
    setActionError(null);
    try {
      await api.del("/api/core/dataset/delete", { id: dataset._id });
      await reload();
    } catch (err) {
      setActionError(err);
    }
  }

  return (
    <section className="ds">
      <header className="page-header">
        <h1>Knowledge bases</h1>
        {parentId ? <Link to="/datasets">All knowledge bases</Link> : null}
      </header>
      <CreateDatasetForm parentId={parentId} models={models} onError={setActionError} />
      <ErrorText error={error ?? actionError ?? modelError} />
      {loading && !datasets ? <p>Loading…</p> : null}
      <table className="table" aria-label="Knowledge bases">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Vector model</th>
            <th>Updated</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(datasets ?? []).map((dataset) => (
            <tr key={dataset._id}>
              <td>
                <Link to={dataset.type === "folder" ? `/datasets?parentId=${dataset._id}` : `/datasets/${dataset._id}`}>
                  {dataset.name}
                </Link>
                {dataset.intro ? <div className="muted">{dataset.intro}</div> : null}
              </td>
              <td>{dataset.type}</td>
              <td>{dataset.type === "folder" ? "" : modelName(models, dataset.vectorModel)}</td>
              <td>{dataset.updateTime ? new Date(dataset.updateTime).toLocaleString() : ""}</td>
              <td>
                <div className="actions">
                  <button type="button" className="link danger" onClick={() => void remove(dataset)} aria-label={`Delete ${dataset.name}`}>
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {datasets && datasets.length === 0 ? <p className="muted">No knowledge bases yet.</p> : null}
    </section>
  );
}

function CreateDatasetForm({
  parentId,
  models,
  onError,
}: {
  parentId: string | null;
  models: ModelItem[] | undefined;
  onError: (error: unknown) => void;
}) {
  const [name, setName] = useState("");
  const [intro, setIntro] = useState("");
  const [type, setType] = useState("dataset");
  const [vectorModel, setVectorModel] = useState("");
  const [agentModel, setAgentModel] = useState("");
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const embeddings = modelsOfType(models, "embedding");
  const llms = modelsOfType(models, "llm");

  async function create(event: FormEvent) {
    event.preventDefault();
    onError(null);
    setBusy(true);
    try {
      const body: Record<string, unknown> = { name: name.trim(), intro: intro.trim(), type, parentId };
      if (type !== "folder") {
        body.vectorModel = vectorModel || embeddings[0]?.model;
        body.agentModel = agentModel || llms[0]?.model;
      }
      const datasetId = await api.post<string>("/api/core/dataset/create", body);
      setName("");
      setIntro("");
      navigate(type === "folder" ? `/datasets?parentId=${datasetId}` : `/datasets/${datasetId}`);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card ds-create" onSubmit={create} aria-label="Create knowledge base">
      <h2>New knowledge base</h2>
      <div className="ds-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="dataset">Knowledge base</option>
            <option value="folder">Folder</option>
          </select>
        </label>
        {type !== "folder" ? (
          <>
            <label>
              Vector model
              <select value={vectorModel} onChange={(e) => setVectorModel(e.target.value)}>
                {embeddings.map((model) => (
                  <option key={model.model} value={model.model}>
                    {model.name}
                    {model.isDefault ? " (default)" : ""}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Agent model
              <select value={agentModel} onChange={(e) => setAgentModel(e.target.value)}>
                {llms.map((model) => (
                  <option key={model.model} value={model.model}>
                    {model.name}
                    {model.isDefault ? " (default)" : ""}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : null}
      </div>
      <label>
        Introduction
        <textarea value={intro} onChange={(e) => setIntro(e.target.value)} rows={2} />
      </label>
      <button type="submit" disabled={busy || !name.trim()}>
        Create
      </button>
    </form>
  );
}
