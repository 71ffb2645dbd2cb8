// The public routes the logs screen reads (FastGPT 4.16 names) and the shapes they answer.
import { api, authHeaders, buildUrl, ApiError } from "../../api/client";
import { getKey } from "../../api/session";
import { filenameOf } from "./download";
import { chartRange, filterBody } from "./requestBodies";

export const LOGS = "/api/core/app/logs";

export type FeedbackType = "all" | "has_feedback" | "good" | "bad";
export type ErrorFilter = "all" | "has_error" | "no_error";
export type Timespan = "day" | "week" | "month" | "quarter";

/** One conversation of `POST /api/core/app/logs/list`. */
export interface LogEntry {
  _id: string;
  chatId: string;
  title?: string | null;
  customTitle?: string | null;
  source: string;
  sourceName?: string | null;
  updateTime: string;
  createTime?: string;
  messageCount: number;
  userGoodFeedbackCount: number;
  userBadFeedbackCount: number;
  customFeedbacksCount?: number;
  markCount?: number;
  averageResponseTime?: number;
  errorCount?: number;
  totalPoints?: number;
  outLinkUid?: string | null;
  tmbId?: string | null;
  versionName?: string | null;
  region?: string | null;
}

export interface LogPage {
  list: LogEntry[];
  total: number;
}

/** What the filter bar holds; dates are the `<input type="date">` values (local days, "" = open). */
export interface LogFilters {
  from: string;
  to: string;
  sources: string[];
  feedbackType: FeedbackType;
  errorFilter: ErrorFilter;
  search: string;
}

export interface TotalData {
  totalUsers: number;
  totalChats: number;
  totalPoints: number;
}

export interface UserSummary {
  userCount: number;
  newUserCount: number;
  retentionUserCount: number;
  points: number;
  sourceCountMap?: Record<string, number>;
}

export interface ChatSummary {
  chatItemCount: number;
  chatCount: number;
  errorCount: number;
  points: number;
}

export interface AppSummary {
  goodFeedBackCount: number;
  badFeedBackCount: number;
  chatCount: number;
  totalResponseTime: number;
  sourceCountMap?: Record<string, number>;
}

export interface Point<S> {
  timestamp: number;
  summary: S;
}

export interface ChartData {
  userData: Point<UserSummary>[];
  chatData: Point<ChatSummary>[];
  appData: Point<AppSummary>[];
}

/** A chat message of `getPaginationRecords`. */
export interface ChatRecord {
  _id: string;
  dataId: string;
  obj: "Human" | "AI" | "System" | string;
  value: unknown[];
  time?: string;
  userGoodFeedback?: string;
  userBadFeedback?: string;
  durationSeconds?: number;
  errorMsg?: string;
  totalRunningTime?: number;
  llmModuleAccount?: number;
}

export interface RecordPage {
  list: ChatRecord[];
  total: number;
}

export function listLogs(appId: string, filters: LogFilters, pageNum: number, pageSize: number, signal?: AbortSignal) {
  return api.post<LogPage>(`${LOGS}/list`, { ...filterBody(appId, filters), pageNum, pageSize }, { signal });
}

export function getTotalData(appId: string, signal?: AbortSignal) {
  return api.get<TotalData>(`${LOGS}/getTotalData`, { appId }, { signal });
}

export function getChartData(appId: string, days: number, span: Timespan, now: Date, signal?: AbortSignal) {
  const spans = { userTimespan: span, chatTimespan: span, appTimespan: span };
  const body = { appId, ...chartRange(now, days), offset: 1, ...spans };
  return api.post<ChartData>(`${LOGS}/getChartData`, body, { signal });
}

export function getRecords(appId: string, chatId: string, offset: number, pageSize: number) {
  return api.post<RecordPage>("/api/core/chat/getPaginationRecords", { appId, chatId, offset, pageSize });
}

export function getResData(appId: string, chatId: string, dataId: string) {
  return api.get<Record<string, unknown>[]>("/api/core/chat/getResData", { appId, chatId, dataId });
}

/** The server's streamed CSV export of the filtered logs, as a Blob and the file name it suggests. */
export async function exportLogs(appId: string, filters: LogFilters): Promise<{ blob: Blob; filename: string }> {
  const response = await fetch(buildUrl(`${LOGS}/exportLogs`), {
    method: "POST",
    headers: { ...authHeaders(getKey()), "Content-Type": "application/json" },
    body: JSON.stringify(filterBody(appId, filters)),
  });
  if (!response.ok) {
    const text = await response.text();
    let message = text || response.statusText;
    try {
      message = (JSON.parse(text) as { message?: string }).message || message;
    } catch {
      // not an envelope: keep the text
    }
    throw new ApiError(message, response.status);
  }
  const filename = filenameOf(response.headers.get("Content-Disposition")) ?? "chat_logs.csv";
  return { blob: await response.blob(), filename };
}
