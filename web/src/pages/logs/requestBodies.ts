// Request bodies of the logs routes, built from what the filter bar and the analytics controls hold.
import type { LogFilters } from "./logsApi";

/** A local calendar day "YYYY-MM-DD" as the instant it starts (or ends) in the browser's zone. */
export function dayBoundary(day: string, edge: "start" | "end"): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const instant =
    edge === "start" ? new Date(year, month, date, 0, 0, 0, 0) : new Date(year, month, date, 23, 59, 59, 999);
  return instant.toISOString();
}

/** The local day `daysBack` days before `now`, as an `<input type="date">` value. */
export function dayInput(now: Date, daysBack = 0): string {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The body shared by `logs/list` and `logs/exportLogs`. */
export function filterBody(appId: string, filters: LogFilters): Record<string, unknown> {
  const body: Record<string, unknown> = {
    appId,
    feedbackType: filters.feedbackType,
    errorFilter: filters.errorFilter,
  };
  const dateStart = dayBoundary(filters.from, "start");
  const dateEnd = dayBoundary(filters.to, "end");
  if (dateStart) body.dateStart = dateStart;
  if (dateEnd) body.dateEnd = dateEnd;
  if (filters.sources.length) body.sources = [...filters.sources];
  const search = filters.search.trim();
  if (search) body.chatSearch = search;
  return body;
}

/** The last `days` days up to the end of today, for getChartData. */
export function chartRange(now: Date, days: number): { dateStart: string; dateEnd: string } {
  return {
    dateStart: dayBoundary(dayInput(now, days - 1), "start") ?? now.toISOString(),
    dateEnd: dayBoundary(dayInput(now, 0), "end") ?? now.toISOString(),
  };
}
