import { useState } from "react";
import { api } from "../../api/client";
import type { ApiKeyItem } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useAction } from "../../components/useAction";
import { useLoad } from "../../components/useLoad";

export function KeysTab({ appId }: { appId: string }) {
  const { data: keys, error, reload } = useLoad(() => api.get<ApiKeyItem[]>("/api/support/openapi/list", { appId }), [appId]);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const { error: actionError, run } = useAction();

  const create = () =>
    run(async () => {
      setCreated(await api.post<string>("/api/support/openapi/create", { appId, name: name || "Api Key" }));
      setName("");
      await reload();
    });

  const remove = (key: ApiKeyItem) =>
    run(async () => {
      await api.del("/api/support/openapi/delete", { id: key._id });
      await reload();
    }, `Delete key ${key.name}?`);

  return (
    <div className="card">
      <div className="row-form">
        <input aria-label="Key name" placeholder="Key name" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="button" onClick={() => void create()}>
          Create app key
        </button>
      </div>
      {created ? (
        <p className="notice" role="status">
          New key (shown once): <code data-testid="new-key">{created}</code>
        </p>
      ) : null}
      <ErrorText error={error ?? actionError} />
      <table className="table" aria-label="API keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(keys ?? []).map((key) => (
            <tr key={key._id}>
              <td>{key.name}</td>
              <td>
                <code>{key.apiKey}</code>
              </td>
              <td>{key.lastUsedTime ? new Date(key.lastUsedTime).toLocaleString() : "never"}</td>
              <td>
                <button type="button" className="link danger" onClick={() => void remove(key)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
