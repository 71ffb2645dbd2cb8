import { useState, type FormEvent } from "react";
import type { HistoryItem } from "./chatApi";
import { PencilIcon, TrashIcon } from "./icons";

export function historyTitle(item: HistoryItem): string {
  return item.customTitle || item.title || "New chat";
}

/** The conversations of this app (newest first, pinned on top, as the server orders them). */
export function HistorySidebar({
  histories,
  current,
  onOpen,
  onNew,
  onRename,
  onDelete,
}: {
  histories: HistoryItem[];
  current: string;
  onOpen: (chatId: string) => void;
  onNew: () => void;
  onRename: (chatId: string, title: string) => Promise<void>;
  onDelete: (chatId: string) => Promise<void>;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent, chatId: string) {
    event.preventDefault();
    try {
      await onRename(chatId, draft.trim());
      setEditing(null);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  async function remove(item: HistoryItem) {
    if (!window.confirm(`Delete “${historyTitle(item)}”?`)) return;
    try {
      await onDelete(item.chatId);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <aside className="chat-sidebar" aria-label="Chat history">
      <button type="button" onClick={onNew}>
        New chat
      </button>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="chat-history" aria-label="Chats">
        {histories.map((item) => (
          <li key={item.chatId} className={item.chatId === current ? "active" : undefined}>
            {editing === item.chatId ? (
              <form className="chat-rename" onSubmit={(e) => void save(e, item.chatId)}>
                <input aria-label="New title" value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} />
                <button type="submit">Save</button>
                <button type="button" className="link" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <button
                  type="button"
                  className="chat-history-open"
                  aria-current={item.chatId === current ? "true" : undefined}
                  onClick={() => onOpen(item.chatId)}
                >
                  {item.top ? "▲ " : ""}
                  {historyTitle(item)}
                </button>
                <span className="chat-history-actions">
                  <button
                    type="button"
                    className="link"
                    aria-label={`Rename ${historyTitle(item)}`}
                    onClick={() => {
                      setDraft(historyTitle(item));
                      setEditing(item.chatId);
                    }}
                  >
                    <PencilIcon />
                  </button>
                  <button
                    type="button"
                    className="link danger"
                    aria-label={`Delete ${historyTitle(item)}`}
                    onClick={() => void remove(item)}
                  >
                    <TrashIcon />
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {histories.length === 0 ? <p className="muted">No chats yet.</p> : null}
    </aside>
  );
}
