// How a log entry reads in the table: source names, titles, users, times and pages.
import type { ErrorFilter, FeedbackType, LogEntry } from "./logsApi";

/** FastGPT's ChatSourceEnum with the names its log screen shows. */
export const SOURCES: ReadonlyArray<{ value: string; label: string }> = [
  { value: "test", label: "Debug" },
  { value: "online", label: "Online" },
  { value: "share", label: "Share link" },
  { value: "api", label: "API" },
  { value: "cronJob", label: "Scheduled" },
  { value: "team", label: "Team space" },
  { value: "feishu", label: "Feishu" },
  { value: "official_account", label: "Official account" },
  { value: "wecom", label: "WeCom" },
  { value: "wechat", label: "WeChat" },
  { value: "mcp", label: "MCP" },
];

export const FEEDBACK_FILTERS: ReadonlyArray<{ value: FeedbackType; label: string }> = [
  { value: "all", label: "All" },
  { value: "has_feedback", label: "Any feedback" },
  { value: "good", label: "Good feedback" },
  { value: "bad", label: "Bad feedback" },
];

export const ERROR_FILTERS: ReadonlyArray<{ value: ErrorFilter; label: string }> = [
  { value: "all", label: "All" },
  { value: "has_error", label: "With errors" },
  { value: "no_error", label: "Without errors" },
];

export function sourceLabel(source: string): string {
  return SOURCES.find((item) => item.value === source)?.label ?? source;
}

export function titleOf(entry: LogEntry): string {
  return entry.customTitle || entry.title || entry.chatId;
}

/** The end user: a share-link visitor's id, else the team member who chatted. */
export function userOf(entry: LogEntry): string {
  return entry.outLinkUid || entry.tmbId || "—";
}

/** "2025-09-23 14:05" in the browser's zone; the raw text when it is not a date. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}
