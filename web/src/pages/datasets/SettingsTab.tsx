import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { modelId, modelName, modelsOfType } from "./models";
import type { DatasetItem, ModelItem } from "./types";

/** Name, introduction and agent model; re-embedding with another vector model; deleting the dataset. */
export function SettingsTab({ dataset, models, onSaved }: { dataset: DatasetItem; models?: ModelItem[]; onSaved: () => Promise<void> }) {
  const [name, setName] = useState(dataset.name);
  const [intro, setIntro] = useState(dataset.intro ?? "");
  const [agentModel, setAgentModel] = useState(modelId(dataset.agentModel));
  const [vectorModel, setVectorModel] = useState(modelId(dataset.vectorModel));
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);
  const navigate = useNavigate();

  async function act(run: () => Promise<unknown>, done: string) {
    setError(null);
    setNotice("");
    try {
      await run();
      setNotice(done);
      await onSaved();
    } catch (err) {
      setError(err);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    void act(() => api.put("/api/core/dataset/update", { id: dataset._id, name: name.trim(), intro, agentModel }), "Saved");
  }

  function rebuild() {
    if (!window.confirm(`Re-embed every chunk with ${modelName(models, vectorModel)}?`)) return;
    void act(
      () => api.post("/api/core/dataset/rebuildEmbedding", { datasetId: dataset._id, vectorModel }),
      "Rebuild queued: the Collections tab shows its progress",
    );
  }

  async function remove() {
    if (!window.confirm(`Delete ${dataset.name} and everything in it?`)) return;
    try {
      await api.del("/api/core/dataset/delete", { id: dataset._id });
      navigate("/datasets");
    } catch (err) {
      setError(err);
    }
  }

  const currentVector = modelId(dataset.vectorModel);
  return (
    <div className="ds-settings">
      <form className="card" onSubmit={save} aria-label="Knowledge base settings">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Introduction
          <textarea value={intro} onChange={(e) => setIntro(e.target.value)} rows={3} />
        </label>
        <label>
          Agent model
          <select value={agentModel} onChange={(e) => setAgentModel(e.target.value)}>
            {modelsOfType(models, "llm").map((model) => (
              <option key={model.model} value={model.model}>
                {model.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!name.trim()}>
          Save
        </button>
      </form>
      <section className="card" aria-label="Vector model">
        <h3>Vector model</h3>
        <p>
          Current: <strong>{modelName(models, dataset.vectorModel)}</strong>
        </p>
        <div className="actions">
          <label className="inline">
            Re-embed with{" "}
            <select aria-label="New vector model" value={vectorModel} onChange={(e) => setVectorModel(e.target.value)}>
              {modelsOfType(models, "embedding").map((model) => (
                <option key={model.model} value={model.model}>
                  {model.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" onClick={rebuild} disabled={!vectorModel || vectorModel === currentVector}>
            Rebuild embeddings
          </button>
        </div>
      </section>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorText error={error} />
      <section className="card" aria-label="Danger zone">
        <button type="button" className="secondary danger" onClick={() => void remove()}>
          Delete knowledge base
        </button>
      </section>
    </div>
  );
}
