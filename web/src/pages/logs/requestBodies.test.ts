import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogFilters } from "./logsApi";
import { chartRange, dayBoundary, dayInput, filterBody } from "./requestBodies";

// FastGPT's own example: a range picked in UTC+8 starts at 16:00 UTC the day before.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "Asia/Shanghai";
});
afterAll(() => {
  process.env.TZ = zone;
});

const none: LogFilters = { from: "", to: "", sources: [], feedbackType: "all", errorFilter: "all", search: "" };

describe("dayBoundary", () => {
  it("turns a local day into the instants it starts and ends", () => {
    expect(dayBoundary("2025-09-20", "start")).toBe("2025-09-19T16:00:00.000Z");
    expect(dayBoundary("2025-09-27", "end")).toBe("2025-09-27T15:59:59.999Z");
  });

  it("leaves an empty or malformed day open", () => {
    expect(dayBoundary("", "start")).toBeUndefined();
    expect(dayBoundary("27/09/2025", "end")).toBeUndefined();
  });
});

describe("dayInput", () => {
  it("names the local day, counting back across a month", () => {
    const now = new Date("2025-03-01T01:30:00+08:00");
    expect(dayInput(now)).toBe("2025-03-01");
    expect(dayInput(now, 1)).toBe("2025-02-28");
    expect(dayInput(now, 6)).toBe("2025-02-23");
  });
});

describe("filterBody", () => {
  it("sends only the filters that are set", () => {
    expect(filterBody("app1", none)).toEqual({ appId: "app1", feedbackType: "all", errorFilter: "all" });
  });

  it("sends the dates, sources, feedback, errors and the trimmed search", () => {
    const body = filterBody("app1", {
      from: "2025-09-20",
      to: "2025-09-27",
      sources: ["api", "share"],
      feedbackType: "good",
      errorFilter: "no_error",
      search: "  refund  ",
    });
    expect(body).toEqual({
      appId: "app1",
      dateStart: "2025-09-19T16:00:00.000Z",
      dateEnd: "2025-09-27T15:59:59.999Z",
      sources: ["api", "share"],
      feedbackType: "good",
      errorFilter: "no_error",
      chatSearch: "refund",
    });
  });
});

describe("chartRange", () => {
  it("covers the last N local days through the end of today", () => {
    const now = new Date("2025-09-27T10:00:00+08:00");
    expect(chartRange(now, 7)).toEqual({
      dateStart: "2025-09-20T16:00:00.000Z",
      dateEnd: "2025-09-27T15:59:59.999Z",
    });
  });
});
