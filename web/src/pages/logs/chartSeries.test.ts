import { describe, expect, it } from "vitest";
import { bucketLabel, buildCharts, formatNumber, type ChartSpec } from "./chartSeries";
import type { ChartData } from "./logsApi";

// The shape getChartData answers: 22 and 23 September 2025 (buckets stamped at 00:00 UTC).
const DAY1 = 1758499200000;
const DAY2 = 1758585600000;
const data: ChartData = {
  userData: [
    { timestamp: DAY1, summary: { userCount: 0, newUserCount: 0, retentionUserCount: 1, points: 0 } },
    { timestamp: DAY2, summary: { userCount: 3, newUserCount: 2, retentionUserCount: 0, points: 1.75 } },
  ],
  chatData: [
    { timestamp: DAY1, summary: { chatItemCount: 1, chatCount: 1, errorCount: 0, points: 0.1 } },
    { timestamp: DAY2, summary: { chatItemCount: 3, chatCount: 2, errorCount: 1, points: 0.2 } },
  ],
  appData: [
    { timestamp: DAY1, summary: { goodFeedBackCount: 1, badFeedBackCount: 0, chatCount: 1, totalResponseTime: 2 } },
    { timestamp: DAY2, summary: { goodFeedBackCount: 0, badFeedBackCount: 2, chatCount: 2, totalResponseTime: 4 } },
  ],
};

function chart(specs: ChartSpec[], id: ChartSpec["id"]): ChartSpec {
  const found = specs.find((spec) => spec.id === id);
  if (!found) throw new Error(`no ${id} chart`);
  return found;
}

describe("bucketLabel", () => {
  it("names a bucket by its UTC calendar date whatever the browser's zone", () => {
    expect(bucketLabel(DAY2, "day")).toBe("2025-09-23");
    expect(bucketLabel(DAY1, "week")).toBe("Week of 2025-09-22");
    expect(bucketLabel(1756684800000, "month")).toBe("2025-09");
    expect(bucketLabel(1751328000000, "quarter")).toBe("2025 Q3");
  });
});

describe("formatNumber", () => {
  it("keeps integers and rounds fractions to four decimals", () => {
    expect(formatNumber(4)).toBe("4");
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(1.113260000001)).toBe("1.1133");
    expect(formatNumber(Number.NaN)).toBe("0");
  });
});

describe("buildCharts", () => {
  const specs = buildCharts(data, 7, "day");

  it("draws the five charts in order", () => {
    expect(specs.map((spec) => spec.id)).toEqual(["users", "chats", "points", "feedback", "retention"]);
    for (const spec of specs) {
      expect(spec.labels).toEqual(["2025-09-22", "2025-09-23"]);
      for (const series of spec.series) expect(series.values).toHaveLength(2);
    }
  });

  it("takes each dataset from its series", () => {
    expect(chart(specs, "users").series.map((s) => [s.label, s.values])).toEqual([
      ["Active users", [0, 3]],
      ["New users", [0, 2]],
    ]);
    expect(chart(specs, "chats").series.map((s) => s.values)).toEqual([
      [1, 3],
      [1, 2],
      [0, 1],
    ]);
    expect(chart(specs, "points").series[0].values).toEqual([0.1, 0.2]);
    expect(chart(specs, "feedback").series.map((s) => s.values)).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(chart(specs, "retention").series[0].values).toEqual([1, 0]);
  });

  it("names the range totals in each summary", () => {
    expect(chart(specs, "users").summary).toBe(
      "Users over the last 7 days, by day: 2 new users in total; at most 3 active users in one day.",
    );
    expect(chart(specs, "chats").summary).toBe(
      "Chats over the last 7 days, by day: 4 chats in 3 sessions, 1 error in total.",
    );
    expect(chart(specs, "points").summary).toBe("Points over the last 7 days, by day: 0.3 points used in total.");
    expect(chart(specs, "feedback").summary).toBe("Feedback over the last 7 days, by day: 1 good and 2 bad in total.");
    expect(chart(specs, "retention").summary).toBe(
      "Retention over the last 7 days, by day: 1 new user came back the next day, of 2 new users in total.",
    );
  });

  it("reads missing figures as zero and an empty range as empty charts", () => {
    const sparse = {
      ...data,
      chatData: [{ timestamp: DAY1, summary: {} as ChartData["chatData"][number]["summary"] }],
    };
    expect(chart(buildCharts(sparse, 30, "week"), "chats").series[0].values).toEqual([0]);
    const empty = buildCharts({ userData: [], chatData: [], appData: [] }, 90, "month");
    expect(chart(empty, "users").summary).toBe(
      "Users over the last 90 days, by month: 0 new users in total; at most 0 active users in one month.",
    );
    expect(empty.every((spec) => spec.labels.length === 0)).toBe(true);
  });
});
