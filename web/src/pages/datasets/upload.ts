// Multipart uploads through XMLHttpRequest, whose upload progress events fetch() does not offer.
import { ApiError, authHeaders, buildUrl } from "../../api/client";

export interface UploadProgress {
  loaded: number;
  total: number;
  /** 0–100, whole numbers; 0 while the size is unknown. */
  percent: number;
}

export function progressOf(loaded: number, total: number, lengthComputable = true): UploadProgress {
  const percent = lengthComputable && total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
  return { loaded, total, percent };
}

/** FastGPT's envelope `{code, message, data}` → data, or an ApiError with the server's message. */
export function parseEnvelope<T>(status: number, text: string, statusText = ""): T {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const isEnvelope = parsed !== null && typeof parsed === "object" && "code" in (parsed as object);
  const envelope = (isEnvelope ? parsed : {}) as { code?: number | string; message?: string; statusText?: string; data?: T };
  const ok = status >= 200 && status < 300 && (!isEnvelope || envelope.code === 200 || envelope.code === undefined);
  if (!ok) {
    const message = envelope.message || envelope.statusText || text || statusText || `HTTP ${status}`;
    throw new ApiError(message, status, envelope.code);
  }
  return (isEnvelope ? envelope.data : parsed) as T;
}

/** The parts of XMLHttpRequest an upload uses (a test hands in a fake). */
export interface UploadXhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  upload: { onprogress: ((event: ProgressEvent) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  createXhr?: () => UploadXhr;
}

/** POST `form` to `path` with the signed-in key, reporting upload progress. */
export function uploadForm<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  const xhr = options.createXhr ? options.createXhr() : (new XMLHttpRequest() as unknown as UploadXhr);
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException("The upload was cancelled", "AbortError"));
      return;
    }
    xhr.open("POST", buildUrl(path));
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => options.onProgress?.(progressOf(event.loaded, event.total, event.lengthComputable));
    xhr.onload = () => {
      try {
        const data = parseEnvelope<T>(xhr.status, xhr.responseText, xhr.statusText);
        options.onProgress?.(progressOf(1, 1));
        resolve(data);
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiError("The upload failed: the server could not be reached", 0));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled", "AbortError"));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
