import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import type { AppListItem } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useAction } from "../../components/useAction";
import { useLoad } from "../../components/useLoad";
import { parseExport } from "./appExport";

const TYPES: Array<[string, string]> = [
  ["simple", "Simple app"],
  ["advanced", "Workflow"],
  ["plugin", "Plugin"],
];

export function AppsPage() {
  const { data: apps, error, loading, reload } = useLoad(
    () => api.post<AppListItem[]>("/api/core/app/list", {}),
    [],
  );
  const [name, setName] = useState("");
  const [type, setType] = useState("advanced");
  const [importText, setImportText] = useState("");
  const { error: actionError, run } = useAction();
  const navigate = useNavigate();

  function create(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = { name: name.trim(), type };
      if (importText.trim()) {
        const exported = parseExport(importText);
        Object.assign(body, exported);
      }
      const appId = await api.post<string>("/api/core/app/create", body);
      setName("");
      setImportText("");
      navigate(`/apps/${appId}`);
    });
  }

  const remove = (app: AppListItem) =>
    run(async () => {
      await api.del("/api/core/app/del", { appId: app._id });
      await reload();
    }, `Delete ${app.name}?`);

  return (
    <section>
      <h1>Apps</h1>
      <form className="card row-form" onSubmit={create} aria-label="Create app">
        <input aria-label="App name" placeholder="New app name" value={name} onChange={(e) => setName(e.target.value)} required />
        <select aria-label="App type" value={type} onChange={(e) => setType(e.target.value)}>
          {TYPES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="submit">Create</button>
        <details>
          <summary>Import a FastGPT export</summary>
          <textarea
            aria-label="FastGPT export JSON"
            rows={6}
            placeholder='{"nodes": [...], "edges": [...], "chatConfig": {...}}'
            value={importText}
            onChange={(e) => setImportText(e.target.value)}
          />
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Export file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) setImportText(await file.text());
            }}
          />
        </details>
      </form>
      <ErrorText error={error ?? actionError} />
      {loading && !apps ? <p>Loading…</p> : null}
      <table className="table" aria-label="Apps">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Updated</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(apps ?? []).map((app) => (
            <tr key={app._id}>
              <td>
                <Link to={`/apps/${app._id}`}>{app.name}</Link>
                {app.intro ? <div className="muted">{app.intro}</div> : null}
              </td>
              <td>{app.type}</td>
              <td>{app.updateTime ? new Date(app.updateTime).toLocaleString() : ""}</td>
              <td>
                <div className="actions">
                  <Link to={`/apps/${app._id}/chat`}>Chat</Link>
                  <Link to={`/apps/${app._id}/workflow`}>Edit</Link>
                  <button type="button" className="link danger" onClick={() => void remove(app)}>
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {apps && apps.length === 0 ? <p className="muted">No apps yet.</p> : null}
    </section>
  );
}
