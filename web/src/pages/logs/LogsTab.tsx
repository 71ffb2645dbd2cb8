import { useCallback, useState } from "react";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { ChatDrawer } from "./ChatDrawer";
import { formatNumber } from "./chartSeries";
import { saveBlob } from "./download";
import { LogFilterBar } from "./LogFilterBar";
import { formatTime, pageCount, sourceLabel, titleOf, userOf } from "./logFormat";
import { exportLogs, listLogs, type LogEntry, type LogFilters } from "./logsApi";
import { dayInput } from "./requestBodies";

const PAGE_SIZES = [10, 20, 50, 100] as const;

function initialFilters(): LogFilters {
  const now = new Date();
  return {
    from: dayInput(now, 6),
    to: dayInput(now, 0),
    sources: [],
    feedbackType: "all",
    errorFilter: "all",
    search: "",
  };
}

/** The app's chat logs: filters, a paged table, the server's CSV export and a drawer per chat. */
export function LogsTab({ appId }: { appId: string }) {
  const [filters, setFilters] = useState<LogFilters>(initialFilters);
  const [pageNum, setPageNum] = useState(1);
  const [pageSize, setPageSize] = useState<number>(20);
  const [open, setOpen] = useState<LogEntry | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const { data, error, loading } = useLoad(
    () => listLogs(appId, filters, pageNum, pageSize),
    [appId, filters, pageNum, pageSize],
  );
  const total = data?.total ?? 0;
  const pages = pageCount(total, pageSize);
  const close = useCallback(() => setOpen(null), []);

  function changeFilters(next: LogFilters) {
    setFilters(next);
    setPageNum(1);
  }

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const { blob, filename } = await exportLogs(appId, filters);
      saveBlob(blob, filename);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  }

  return (
    <section aria-label="Chat logs">
      <LogFilterBar filters={filters} onChange={changeFilters} />
      <div className="logs-toolbar">
        <span role="status" data-testid="logs-total">
          {loading && !data ? "Loading…" : `${total} ${total === 1 ? "chat" : "chats"}`}
        </span>
        <button type="button" className="secondary" disabled={exporting} onClick={() => void exportCsv()}>
          {exporting ? "Exporting…" : "Export CSV"}
        </button>
      </div>
      <ErrorText error={error ?? exportError} />
      <div className="logs-table-wrap">
        <table className="table logs-table" aria-label="Chat logs" aria-busy={loading}>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Time</th>
              <th scope="col">Title</th>
              <th scope="col">User</th>
              <th scope="col">Messages</th>
              <th scope="col">Feedback</th>
              <th scope="col">Errors</th>
              <th scope="col">Avg. response (s)</th>
              <th scope="col">Points</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {(data?.list ?? []).map((entry) => (
              <LogRow key={entry._id} entry={entry} onOpen={() => setOpen(entry)} />
            ))}
          </tbody>
        </table>
        {data && data.list.length === 0 ? <p className="muted">No chats match these filters.</p> : null}
      </div>
      <nav className="row-form logs-pager" aria-label="Pages">
        <button type="button" className="secondary" disabled={pageNum <= 1} onClick={() => setPageNum(pageNum - 1)}>
          Previous
        </button>
        <span>
          Page {Math.min(pageNum, pages)} of {pages}
        </span>
        <button
          type="button"
          className="secondary"
          disabled={pageNum >= pages}
          onClick={() => setPageNum(pageNum + 1)}
        >
          Next
        </button>
        <label className="inline">
          Rows per page&nbsp;
          <select
            aria-label="Rows per page"
            value={pageSize}
            onChange={(e) => {
              setPageSize(Number(e.target.value));
              setPageNum(1);
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </nav>
      {open ? <ChatDrawer appId={appId} entry={open} onClose={close} /> : null}
    </section>
  );
}

function LogRow({ entry, onOpen }: { entry: LogEntry; onOpen: () => void }) {
  const title = titleOf(entry);
  return (
    <tr className="logs-row" onClick={onOpen}>
      <td>{sourceLabel(entry.source)}</td>
      <td>{formatTime(entry.updateTime)}</td>
      <td>
        <button
          type="button"
          className="link"
          onClick={(event) => {
            event.stopPropagation();
            onOpen();
          }}
        >
          {title}
        </button>
      </td>
      <td className="logs-user">{userOf(entry)}</td>
      <td>{entry.messageCount}</td>
      <td>
        <span className="logs-good">
          <span aria-hidden="true">▲</span>
          <span className="logs-sr">Good feedback:</span> {entry.userGoodFeedbackCount}
        </span>{" "}
        <span className="logs-bad">
          <span aria-hidden="true">▼</span>
          <span className="logs-sr">Bad feedback:</span> {entry.userBadFeedbackCount}
        </span>
      </td>
      <td>{entry.errorCount ?? 0}</td>
      <td>{formatNumber(entry.averageResponseTime ?? 0)}</td>
      <td>{formatNumber(entry.totalPoints ?? 0)}</td>
      <td>{entry.versionName ?? ""}</td>
    </tr>
  );
}
