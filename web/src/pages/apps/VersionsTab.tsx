import { useState } from "react";
import { api } from "../../api/client";
import type { AppDetail, AppVersion, AppExport } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useAction } from "../../components/useAction";
import { useLoad } from "../../components/useLoad";

/** Publish the draft, list versions, roll back (FastGPT: publish an old version's graph again). */
export function VersionsTab({ app, onChanged }: { app: AppDetail; onChanged: () => Promise<void> }) {
  const { data, error, reload } = useLoad(
    () => api.post<{ list: AppVersion[]; total: number }>("/api/core/app/version/list", { appId: app._id, pageSize: 50, offset: 0 }),
    [app._id],
  );
  const [versionName, setVersionName] = useState("");
  const { error: actionError, run } = useAction();

  async function publish(graph: AppExport, name: string) {
    await api.post(
      "/api/core/app/version/publish",
      { nodes: graph.nodes, edges: graph.edges, chatConfig: graph.chatConfig ?? {}, isPublish: true, versionName: name },
      { query: { appId: app._id } },
    );
    setVersionName("");
    await reload();
    await onChanged();
  }

  const rollBack = (version: AppVersion) =>
    run(async () => {
      const detail = await api.get<AppExport>("/api/core/app/version/detail", { appId: app._id, versionId: version._id });
      await publish(detail, `Rollback to ${version.versionName || version._id}`);
    }, `Roll back to ${version.versionName || version._id}?`);

  return (
    <div className="card">
      <div className="row-form">
        <input aria-label="Version name" placeholder="Version name" value={versionName} onChange={(e) => setVersionName(e.target.value)} />
        <button
          type="button"
          onClick={() =>
            void run(() =>
              publish({ nodes: app.modules, edges: app.edges, chatConfig: app.chatConfig }, versionName || new Date().toLocaleString()),
            )
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
