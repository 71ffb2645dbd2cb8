import { useState } from "react";
import { api } from "../../api/client";
import type { ShareLinkItem } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useAction } from "../../components/useAction";
import { useLoad } from "../../components/useLoad";

export function shareUrl(shareId: string): string {
  return `${window.location.origin}/chat/share?shareId=${encodeURIComponent(shareId)}`;
}

export function ShareLinksTab({ appId }: { appId: string }) {
  const { data: links, error, reload } = useLoad(
    () => api.get<ShareLinkItem[]>("/api/support/outLink/list", { appId, type: "share" }),
    [appId],
  );
  const [name, setName] = useState("");
  const [showCite, setShowCite] = useState(true);
  const [qpm, setQpm] = useState("");
  const { error: actionError, run } = useAction();

  const create = () =>
    run(async () => {
      await api.post("/api/support/outLink/create", {
        appId,
        type: "share",
        name: name || "Share link",
        showCite,
        showRunningStatus: true,
        limit: qpm ? { QPM: Number(qpm) } : undefined,
      });
      setName("");
      await reload();
    });

  const remove = (link: ShareLinkItem) =>
    run(async () => {
      await api.del("/api/support/outLink/delete", { id: link._id });
      await reload();
    }, `Delete ${link.name}?`);

  return (
    <div className="card">
      <div className="row-form">
        <input aria-label="Link name" placeholder="Link name" value={name} onChange={(e) => setName(e.target.value)} />
        <label className="inline">
          <input type="checkbox" checked={showCite} onChange={(e) => setShowCite(e.target.checked)} /> Show citations
        </label>
        <input aria-label="QPM limit" placeholder="QPM" value={qpm} onChange={(e) => setQpm(e.target.value.replace(/\D/g, ""))} size={5} />
        <button type="button" onClick={() => void create()}>
          Create share link
        </button>
      </div>
      <ErrorText error={error ?? actionError} />
      <table className="table" aria-label="Share links">
        <thead>
          <tr>
            <th>Name</th>
            <th>Link</th>
            <th>QPM</th>
            <th>Used points</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(links ?? []).map((link) => (
            <tr key={link._id}>
              <td>{link.name}</td>
              <td>
                <a href={shareUrl(link.shareId)} target="_blank" rel="noreferrer">
                  {shareUrl(link.shareId)}
                </a>
              </td>
              <td>{link.limit?.QPM ?? "–"}</td>
              <td>{link.usagePoints ?? 0}</td>
              <td>
                <button type="button" className="link danger" onClick={() => void remove(link)}>
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
