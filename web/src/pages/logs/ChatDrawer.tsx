import { useEffect, useRef, useState } from "react";
import { ErrorText } from "../../components/ErrorText";
import { formatNumber } from "./chartSeries";
import { formatTime, sourceLabel, titleOf, userOf } from "./logFormat";
import { getRecords, getResData, type ChatRecord, type LogEntry } from "./logsApi";
import { messageParts, nodeRows } from "./messageParts";

const PAGE_SIZE = 30;

/** One chat's messages, read-only, newest page first with "Load earlier messages" for the rest. */
export function ChatDrawer({ appId, entry, onClose }: { appId: string; entry: LogEntry; onClose: () => void }) {
  const [records, setRecords] = useState<ChatRecord[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    setRecords([]);
    setLoading(true);
    setError(null);
    getRecords(appId, entry.chatId, 0, PAGE_SIZE)
      .then((page) => {
        if (!live) return;
        setRecords(page.list);
        setTotal(page.total);
      })
      .catch((err: unknown) => live && setError(err))
      .finally(() => live && setLoading(false));
    closeButton.current?.focus();
    return () => {
      live = false;
    };
  }, [appId, entry.chatId]);

  useEffect(() => {
    // Give focus back to whatever opened the drawer once it closes.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => opener?.focus();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  async function loadEarlier() {
    setLoading(true);
    try {
      const page = await getRecords(appId, entry.chatId, records.length, PAGE_SIZE);
      setRecords((current) => [...page.list, ...current]);
      setTotal(page.total);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  const title = titleOf(entry);
  return (
    <div className="logs-drawer-backdrop" onClick={onClose}>
      <aside
        className="logs-drawer"
        role="dialog"
        aria-modal="true"
        aria-label={`Chat ${title}`}
        onClick={(event) => event.stopPropagation()}
      >
        <header className="page-header">
          <h2>{title}</h2>
          <button type="button" className="secondary" ref={closeButton} onClick={onClose}>
            Close
          </button>
        </header>
        <p className="muted">
          {[sourceLabel(entry.source), entry.sourceName, userOf(entry), formatTime(entry.updateTime)]
            .filter(Boolean)
            .join(" · ")}{" "}
          · <code>{entry.chatId}</code>
        </p>
        <ErrorText error={error} />
        {records.length < total ? (
          <button type="button" className="link" disabled={loading} onClick={() => void loadEarlier()}>
            Load earlier messages
          </button>
        ) : null}
        <ol className="logs-messages" aria-label="Messages">
          {records.map((record) => (
            <MessageItem key={record._id} appId={appId} chatId={entry.chatId} record={record} />
          ))}
        </ol>
        {loading ? <p className="muted">Loading…</p> : null}
        {!loading && !error && records.length === 0 ? <p className="muted">No messages.</p> : null}
      </aside>
    </div>
  );
}

function speakerOf(obj: string): string {
  if (obj === "Human") return "User";
  if (obj === "AI") return "AI";
  return obj;
}

function MessageItem({ appId, chatId, record }: { appId: string; chatId: string; record: ChatRecord }) {
  const parts = messageParts(record.value);
  const speaker = speakerOf(record.obj);
  return (
    <li className={`logs-message logs-message-${record.obj.toLowerCase()}`} aria-label={`${speaker} message`}>
      <div className="logs-message-head">
        <strong>{speaker}</strong>
        <span className="muted">{formatTime(record.time)}</span>
        <FeedbackNote kind="good" text={record.userGoodFeedback} />
        <FeedbackNote kind="bad" text={record.userBadFeedback} />
      </div>
      {parts.map((part, index) => (
        <div key={index} className={`logs-part logs-part-${part.kind}`}>
          {part.kind !== "text" ? <span className="muted">{part.kind}: </span> : null}
          {part.text}
        </div>
      ))}
      {record.errorMsg ? <p className="error">{record.errorMsg}</p> : null}
      {record.obj === "AI" ? <NodeResponses appId={appId} chatId={chatId} dataId={record.dataId} /> : null}
    </li>
  );
}

/** A vote on a message; its text when the voter wrote more than FastGPT's plain "yes". */
function FeedbackNote({ kind, text }: { kind: "good" | "bad"; text: string | undefined }) {
  if (text === undefined) return null;
  const label = kind === "good" ? "Good feedback" : "Bad feedback";
  return (
    <span className={`logs-${kind}`} title={text}>
      {text && text !== "yes" ? `${label}: ${text}` : label}
    </span>
  );
}

/** getResData on demand: the node responses of one AI answer. */
function NodeResponses({ appId, chatId, dataId }: { appId: string; chatId: string; dataId: string }) {
  const [rows, setRows] = useState<Record<string, unknown>[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function toggle() {
    if (open) {
      setOpen(false);
      return;
    }
    setOpen(true);
    if (rows !== null) return;
    try {
      setRows(await getResData(appId, chatId, dataId));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <div className="logs-nodes">
      <button type="button" className="link" aria-expanded={open} onClick={() => void toggle()}>
        {open ? "Hide node responses" : "Show node responses"}
      </button>
      {open ? (
        <>
          <ErrorText error={error} />
          {rows === null && !error ? <p className="muted">Loading…</p> : null}
          {rows !== null ? <NodeTable responses={rows} /> : null}
        </>
      ) : null}
    </div>
  );
}

function NodeTable({ responses }: { responses: Record<string, unknown>[] }) {
  if (responses.length === 0) return <p className="muted">No node responses were stored.</p>;
  const rows = nodeRows(responses);
  return (
    <table className="table logs-node-table" aria-label="Node responses">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Type</th>
          <th scope="col">Time (s)</th>
          <th scope="col">Points</th>
          <th scope="col">Model</th>
          <th scope="col">Tokens</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={row.key}>
            <td>
              {row.name}
              {row.error ? <div className="error">{row.error}</div> : null}
            </td>
            <td>{row.type}</td>
            <td>{row.seconds === undefined ? "" : formatNumber(row.seconds)}</td>
            <td>{row.points === undefined ? "" : formatNumber(row.points)}</td>
            <td>{row.model}</td>
            <td>{row.tokens}</td>
            <td>
              <details>
                <summary>JSON</summary>
                <pre className="logs-json">{JSON.stringify(responses[index], null, 2)}</pre>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
