import { describe, expect, it } from "vitest";
import { filenameOf } from "./download";

describe("filenameOf", () => {
  it("prefers the RFC 5987 name, decoded", () => {
    const header = "attachment; filename=\"chat_logs.csv\"; filename*=UTF-8''Demo%20%E5%BA%94%E7%94%A8-chat-logs.csv";
    expect(filenameOf(header)).toBe("Demo 应用-chat-logs.csv");
  });

  it("falls back to the plain name, quoted or not", () => {
    expect(filenameOf('attachment; filename="chat_logs.csv"')).toBe("chat_logs.csv");
    expect(filenameOf("attachment; filename=logs.csv")).toBe("logs.csv");
    expect(filenameOf("attachment; filename*=UTF-8''%E0%A4%A; filename=plain.csv")).toBe("plain.csv");
  });

  it("has no name without a header or a filename", () => {
    expect(filenameOf(null)).toBeUndefined();
    expect(filenameOf("inline")).toBeUndefined();
  });
});
