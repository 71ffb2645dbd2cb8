import { describe, expect, it } from "vitest";
import { formatTime, pageCount, sourceLabel, titleOf, userOf } from "./logFormat";
import type { LogEntry } from "./logsApi";

const entry: LogEntry = {
  _id: "1",
  chatId: "chat-1",
  title: "First question",
  source: "api",
  updateTime: "2025-09-23T06:05:00.000Z",
  messageCount: 2,
  userGoodFeedbackCount: 0,
  userBadFeedbackCount: 0,
  tmbId: "member-1",
};

describe("log formatting", () => {
  it("names sources as FastGPT's log screen does, unknown ones as they are", () => {
    expect(sourceLabel("share")).toBe("Share link");
    expect(sourceLabel("api")).toBe("API");
    expect(sourceLabel("robot")).toBe("robot");
  });

  it("prefers the custom title, then the title, then the chat id", () => {
    expect(titleOf({ ...entry, customTitle: "Pinned" })).toBe("Pinned");
    expect(titleOf(entry)).toBe("First question");
    expect(titleOf({ ...entry, title: "" })).toBe("chat-1");
  });

  it("shows the share visitor before the member", () => {
    expect(userOf({ ...entry, outLinkUid: "visitor-9" })).toBe("visitor-9");
    expect(userOf(entry)).toBe("member-1");
    expect(userOf({ ...entry, tmbId: null })).toBe("—");
  });

  it("formats a time in the browser's zone and keeps text that is not a time", () => {
    const local = new Date("2025-09-23T06:05:00.000Z");
    const pad = (n: number) => String(n).padStart(2, "0");
    const expected = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
    expect(formatTime(entry.updateTime)).toMatch(new RegExp(`^${expected} \\d{2}:05$`));
    expect(formatTime("yesterday")).toBe("yesterday");
    expect(formatTime(undefined)).toBe("");
  });

  it("counts at least one page", () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(41, 20)).toBe(3);
    expect(pageCount(40, 20)).toBe(2);
  });
});
