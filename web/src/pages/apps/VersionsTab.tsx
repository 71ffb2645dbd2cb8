import { useState } from "react";
import { api } from "../../api/client";
import type { AppDetail, AppVersion, AppExport } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";

/** Publish the draft, list versions, roll back (FastGPT: publish an old version's graph again). */
export function VersionsTab({ app, onChanged }: { app: AppDetail; onChanged: () => Promise<void> }) {
  const { data, error, reload } = useLoad(
    () => api.post<{ list: AppVersion[]; total: number }>("/api/core/app/version/list", { appId: app._id, pageSize: 50, offset: 0 }),
    [app._id],
  );
  const [versionName, setVersionName] = useState("");
  const [actionError, setActionError] = useState<unknown>(null);

  async function publish(graph: AppExport, name: string) {
    setActionError(null);
    try {
      await api.post(
        "/api/core/app/version/publish",
        { nodes: graph.nodes, edges: graph.edges, chatConfig: graph.chatConfig ?? {}, isPublish: true, versionName: name },
        { query: { appId: app._id } },
      );
      setVersionName("");
      await reload();
      await onChanged();
    } catch (err) {
      setActionError(err);
    }
  }

  async function rollBack(version: AppVersion) {
    if (!window.confirm(`Roll back to ${version.versionName || version._id}?`)) return;
    try {
      const detail = await api.get<AppExport>("/api/core/app/version/detail", { appId: app._id, versionId: version._id });
      await publish(detail, `Rollback to ${version.versionName || version._id}`);
    } catch (err) {
      setActionError(err);
    }
  }

  return (
    <div className="card">
      <div className="row-form">
        <input aria-label="Version name" placeholder="Version name" value={versionName} onChange={(e) => setVersionName(e.target.value)} />
        <button
          type="button"
          onClick={() =>
            void publish({ nodes: app.modules, edges: app.edges, chatConfig: app.chatConfig }, versionName || new Date().toLocaleString())
          }
        >
          Publish current draft
        </button>
      </div>
      <ErrorText error={error ?? actionError} />
      <table className="table" aria-label="Versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Time</th>
            <th>Published</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.list ?? []).map((version) => (
            <tr key={version._id}>
              <td>{version.versionName || version._id}</td>
              <td>{version.time ? new Date(version.time).toLocaleString() : ""}</td>
              <td>{version.isPublish ? "yes" : "draft"}</td>
              <td>
                <button type="button" className="link" onClick={() => void rollBack(version)}>
                  Roll back
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
