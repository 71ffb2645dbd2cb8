// One way to call the public API: FastGPT's envelope {code, statusText, message, data} unwrapped,
// errors raised as ApiError with the server's message.
import { getKey } from "./session";

export class ApiError extends Error {
  readonly status: number;
  readonly code: number | string | undefined;
  constructor(message: string, status: number, code?: number | string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Send this key instead of the signed-in one (share pages send none). */
  key?: string | null;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export function buildUrl(path: string, query?: Query): string {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  }
  return url.pathname + url.search;
}

export function authHeaders(key: string | null | undefined = getKey()): Record<string, string> {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

interface Envelope<T> {
  code?: number | string;
  statusText?: string;
  message?: string;
  data?: T;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    ...authHeaders(options.key === undefined ? getKey() : options.key),
    ...options.headers,
  };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(buildUrl(path, options.query), { method, headers, body, signal: options.signal });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const envelope = (parsed ?? {}) as Envelope<T>;
  const isEnvelope = parsed !== null && typeof parsed === "object" && "code" in (parsed as object);
  if (!response.ok || (isEnvelope && envelope.code !== 200 && envelope.code !== undefined)) {
    const message = envelope.message || envelope.statusText || text || response.statusText;
    throw new ApiError(message, response.status, envelope.code);
  }
  return (isEnvelope ? envelope.data : parsed) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, options: RequestOptions = {}) => request<T>("GET", path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options: RequestOptions = {}) => request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options: RequestOptions = {}) => request<T>("PUT", path, { ...options, body }),
  del: <T>(path: string, query?: Query, options: RequestOptions = {}) => request<T>("DELETE", path, { ...options, query }),
};

/** FastGPT list routes answer either a bare array or {list,total}. */
export function listOf<T>(data: T[] | { list: T[] } | null | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : data.list ?? [];
}
