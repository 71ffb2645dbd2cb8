import { beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { setKey } from "../../api/session";
import { parseEnvelope, progressOf, uploadForm, type UploadProgress, type UploadXhr } from "./upload";

class FakeXhr implements UploadXhr {
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  aborted = false;
  status = 0;
  statusText = "";
  responseText = "";
  upload: UploadXhr["upload"] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true } as ProgressEvent);
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.onload?.();
  }
}

beforeEach(() => {
  sessionStorage.clear();
});

describe("progressOf", () => {
  it("gives whole percents, capped at 100, and 0 while the size is unknown", () => {
    expect(progressOf(1, 3).percent).toBe(33);
    expect(progressOf(5, 4).percent).toBe(100);
    expect(progressOf(10, 0).percent).toBe(0);
    expect(progressOf(10, 20, false).percent).toBe(0);
  });
});

describe("parseEnvelope", () => {
  it("unwraps data from a 200 envelope", () => {
    expect(parseEnvelope(200, JSON.stringify({ code: 200, message: "", data: { collectionId: "c1" } }))).toEqual({
      collectionId: "c1",
    });
  });

  it("raises the server's message and status for an error envelope", () => {
    const call = () => parseEnvelope(413, JSON.stringify({ code: 413, statusText: "fileTooLarge", message: "Too big" }));
    expect(call).toThrow(ApiError);
    expect(call).toThrow("Too big");
    try {
      call();
    } catch (error) {
      expect((error as ApiError).status).toBe(413);
    }
  });

  it("raises for a non-JSON failure with its text", () => {
    expect(() => parseEnvelope(502, "Bad gateway")).toThrow("Bad gateway");
  });
});

describe("uploadForm", () => {
  it("posts the form with the signed-in key and reports progress up to 100", async () => {
    setKey("fastgpt-secret");
    const xhr = new FakeXhr();
    const seen: UploadProgress[] = [];
    const form = new FormData();
    form.append("data", "{}");
    const pending = uploadForm<{ collectionId: string }>("/api/core/dataset/collection/create/localFile", form, {
      createXhr: () => xhr,
      onProgress: (p) => seen.push(p),
    });
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/api/core/dataset/collection/create/localFile");
    expect(xhr.headers.Authorization).toBe("Bearer fastgpt-secret");
    expect(xhr.body).toBe(form);
    xhr.progress(50, 200);
    xhr.answer(200, { code: 200, data: { collectionId: "c9" } });
    await expect(pending).resolves.toEqual({ collectionId: "c9" });
    expect(seen.map((p) => p.percent)).toEqual([25, 100]);
  });

  it("rejects with the server's message", async () => {
    const xhr = new FakeXhr();
    const pending = uploadForm("/x", new FormData(), { createXhr: () => xhr });
    xhr.answer(400, { code: 400, message: "Invalid `data` field" });
    await expect(pending).rejects.toThrow("Invalid `data` field");
  });

  it("rejects on a network error and aborts when the signal fires", async () => {
    const broken = new FakeXhr();
    const failed = uploadForm("/x", new FormData(), { createXhr: () => broken });
    broken.onerror?.();
    await expect(failed).rejects.toThrow("could not be reached");

    const controller = new AbortController();
    const xhr = new FakeXhr();
    const cancelled = uploadForm("/x", new FormData(), { createXhr: () => xhr, signal: controller.signal });
    controller.abort();
    expect(xhr.aborted).toBe(true);
    await expect(cancelled).rejects.toThrow("cancelled");
  });
});
