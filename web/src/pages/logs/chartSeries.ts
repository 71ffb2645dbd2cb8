// getChartData's three series turned into the five charts of the Analytics tab: labels, datasets,
// range totals and the sentence a screen reader hears. No chart.js here: plain data, tested alone.
import type { ChartData, Point, Timespan } from "./logsApi";

export type ChartId = "users" | "chats" | "points" | "feedback" | "retention";

export interface Series {
  label: string;
  values: number[];
  color: string;
}

export interface ChartSpec {
  id: ChartId;
  title: string;
  kind: "line" | "bar";
  labels: string[];
  series: Series[];
  /** The accessible summary of the canvas (its aria-label). */
  summary: string;
}

const COLORS = {
  blue: "#3370ff",
  green: "#12b76a",
  orange: "#f79009",
  red: "#d92d20",
  purple: "#7a5af8",
  grey: "#98a2b3",
} as const;

const SPAN_WORD: Record<Timespan, string> = { day: "day", week: "week", month: "month", quarter: "quarter" };

/** A bucket's name: the server stamps a bucket with its first local date at 00:00 UTC. */
export function bucketLabel(timestamp: number, span: Timespan): string {
  const day = new Date(timestamp);
  const year = day.getUTCFullYear();
  const month = String(day.getUTCMonth() + 1).padStart(2, "0");
  const date = String(day.getUTCDate()).padStart(2, "0");
  if (span === "month") return `${year}-${month}`;
  if (span === "quarter") return `${year} Q${Math.floor(day.getUTCMonth() / 3) + 1}`;
  if (span === "week") return `Week of ${year}-${month}-${date}`;
  return `${year}-${month}-${date}`;
}

/** Integers as they are, fractions to at most four decimals (points are fractional). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "0";
  return String(Number(value.toFixed(4)));
}

export function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function plural(count: number, one: string, many: string): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

function column<S>(points: Point<S>[], pick: (summary: S) => number | undefined): number[] {
  return points.map((point) => Number(pick(point.summary) ?? 0) || 0);
}

/** "over the last 7 days, by day" */
export function rangePhrase(days: number, span: Timespan): string {
  return `over the last ${days} days, by ${SPAN_WORD[span]}`;
}

export function buildCharts(data: ChartData, days: number, span: Timespan): ChartSpec[] {
  const range = rangePhrase(days, span);
  const userLabels = data.userData.map((point) => bucketLabel(point.timestamp, span));
  const chatLabels = data.chatData.map((point) => bucketLabel(point.timestamp, span));
  const appLabels = data.appData.map((point) => bucketLabel(point.timestamp, span));

  const active = column(data.userData, (s) => s.userCount);
  const fresh = column(data.userData, (s) => s.newUserCount);
  const retained = column(data.userData, (s) => s.retentionUserCount);
  const sessions = column(data.chatData, (s) => s.chatCount);
  const rounds = column(data.chatData, (s) => s.chatItemCount);
  const errors = column(data.chatData, (s) => s.errorCount);
  const points = column(data.chatData, (s) => s.points);
  const good = column(data.appData, (s) => s.goodFeedBackCount);
  const bad = column(data.appData, (s) => s.badFeedBackCount);
  const peak = active.length ? Math.max(...active) : 0;

  return [
    {
      id: "users",
      title: "Users",
      kind: "line",
      labels: userLabels,
      series: [
        { label: "Active users", values: active, color: COLORS.blue },
        { label: "New users", values: fresh, color: COLORS.green },
      ],
      summary:
        `Users ${range}: ${plural(sum(fresh), "new user", "new users")} in total; ` +
        `at most ${plural(peak, "active user", "active users")} in one ${SPAN_WORD[span]}.`,
    },
    {
      id: "chats",
      title: "Chats",
      kind: "bar",
      labels: chatLabels,
      series: [
        { label: "Chats", values: rounds, color: COLORS.blue },
        { label: "Sessions", values: sessions, color: COLORS.purple },
        { label: "Errors", values: errors, color: COLORS.red },
      ],
      summary:
        `Chats ${range}: ${plural(sum(rounds), "chat", "chats")} in ` +
        `${plural(sum(sessions), "session", "sessions")}, ${plural(sum(errors), "error", "errors")} in total.`,
    },
    {
      id: "points",
      title: "Points",
      kind: "line",
      labels: chatLabels,
      series: [{ label: "Points", values: points, color: COLORS.orange }],
      summary: `Points ${range}: ${plural(sum(points), "point", "points")} used in total.`,
    },
    {
      id: "feedback",
      title: "Feedback",
      kind: "bar",
      labels: appLabels,
      series: [
        { label: "Good feedback", values: good, color: COLORS.green },
        { label: "Bad feedback", values: bad, color: COLORS.red },
      ],
      summary: `Feedback ${range}: ${formatNumber(sum(good))} good and ${formatNumber(sum(bad))} bad in total.`,
    },
    {
      id: "retention",
      title: "Retention",
      kind: "bar",
      labels: userLabels,
      series: [{ label: `Back the next ${SPAN_WORD[span]}`, values: retained, color: COLORS.grey }],
      summary:
        `Retention ${range}: ${plural(sum(retained), "new user", "new users")} came back ` +
        `the next ${SPAN_WORD[span]}, of ${plural(sum(fresh), "new user", "new users")} in total.`,
    },
  ];
}
