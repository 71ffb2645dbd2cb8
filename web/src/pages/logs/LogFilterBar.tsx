import { useState } from "react";
import { ERROR_FILTERS, FEEDBACK_FILTERS, SOURCES } from "./logFormat";
import type { ErrorFilter, FeedbackType, LogFilters } from "./logsApi";

/** Date range, sources, feedback, errors and a title search; the table follows on every change. */
export function LogFilterBar({ filters, onChange }: { filters: LogFilters; onChange: (next: LogFilters) => void }) {
  const [search, setSearch] = useState(filters.search);
  const set = (patch: Partial<LogFilters>) => onChange({ ...filters, ...patch });
  const toggleSource = (value: string, on: boolean) =>
    set({ sources: on ? [...filters.sources, value] : filters.sources.filter((item) => item !== value) });
  const sourceText = filters.sources.length ? `Sources (${filters.sources.length})` : "Sources (all)";
  return (
    <div className="row-form logs-filters" role="search" aria-label="Log filters">
      <label className="inline">
        From&nbsp;
        <input type="date" aria-label="From" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label className="inline">
        To&nbsp;
        <input type="date" aria-label="To" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
      </label>
      <label className="inline">
        Feedback&nbsp;
        <select
          aria-label="Feedback"
          value={filters.feedbackType}
          onChange={(e) => set({ feedbackType: e.target.value as FeedbackType })}
        >
          {FEEDBACK_FILTERS.map((item) => (
            <option key={item.value} value={item.value}>
              {item.label}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Errors&nbsp;
        <select
          aria-label="Errors"
          value={filters.errorFilter}
          onChange={(e) => set({ errorFilter: e.target.value as ErrorFilter })}
        >
          {ERROR_FILTERS.map((item) => (
            <option key={item.value} value={item.value}>
              {item.label}
            </option>
          ))}
        </select>
      </label>
      <form
        className="logs-search"
        onSubmit={(event) => {
          event.preventDefault();
          set({ search });
        }}
      >
        <input
          type="search"
          aria-label="Search chats"
          placeholder="Chat id or title"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit" className="secondary">
          Search
        </button>
      </form>
      <details className="logs-sources">
        <summary>{sourceText}</summary>
        <fieldset>
          <legend>Sources</legend>
          {SOURCES.map((item) => (
            <label key={item.value} className="inline">
              <input
                type="checkbox"
                checked={filters.sources.includes(item.value)}
                onChange={(e) => toggleSource(item.value, e.target.checked)}
              />
              &nbsp;{item.label}
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}
