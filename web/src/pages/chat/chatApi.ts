// The public chat routes, for a signed-in key holder (the app named by `appId` in the body, FastGPT 4.16)
// or a share-link visitor (`shareId` + `outLinkUid`, no Authorization header).
import { api, ApiError, type Query, type RequestOptions } from "../../api/client";
import { postSse, type SseEvent } from "../../api/sse";
import type { StoredRecord } from "./records";

export type ChatAuth =
  | { mode: "key"; appId: string }
  | { mode: "share"; shareId: string; outLinkUid: string; appId?: string };

export interface HistoryItem {
  chatId: string;
  updateTime?: string | null;
  appId: string;
  customTitle: string;
  title: string;
  top: boolean;
}

export interface InitData {
  chatId: string;
  appId: string;
  title: string;
  variables: Record<string, unknown>;
  app: {
    chatConfig: Record<string, unknown>;
    name: string;
    avatar?: string;
    intro?: string;
    type: string;
  };
}

export interface PresignedUpload {
  url: string;
  key: string;
  method: string;
  maxSize: number;
  previewUrl: string;
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Who is asking, as body fields (key holders name the app; visitors name the link and themselves). */
export function authFields(auth: ChatAuth): Record<string, string> {
  return auth.mode === "key" ? { appId: auth.appId } : { shareId: auth.shareId, outLinkUid: auth.outLinkUid };
}

function options(auth: ChatAuth): RequestOptions {
  return auth.mode === "share" ? { key: null } : {};
}

export function initChat(auth: ChatAuth, chatId: string): Promise<InitData> {
  const path = auth.mode === "key" ? "/api/core/chat/init" : "/api/core/chat/outLink/init";
  return api.get<InitData>(path, { ...authFields(auth), chatId } as Query, options(auth));
}

/**
 * The caller's chats of the app, newest first. A key holder's list is their API chats only: chats that
 * visitors of their share links started (source "share") and editor test runs (source "test") stay out.
 */
export async function listHistories(auth: ChatAuth): Promise<HistoryItem[]> {
  const source = auth.mode === "key" ? { source: "api" } : {};
  const page = await api.post<{ list: HistoryItem[]; total: number }>(
    "/api/core/chat/getHistories",
    { ...authFields(auth), ...source, offset: 0, pageSize: 100 },
    options(auth),
  );
  return page?.list ?? [];
}

export function renameHistory(auth: ChatAuth, chatId: string, customTitle: string): Promise<null> {
  return api.post<null>("/api/core/chat/updateHistory", { ...authFields(auth), chatId, customTitle }, options(auth));
}

export function deleteHistory(auth: ChatAuth, chatId: string): Promise<null> {
  return api.del<null>("/api/core/chat/delHistory", { ...authFields(auth), chatId }, options(auth));
}

export function loadRecords(
  auth: ChatAuth,
  chatId: string,
  offset: number,
  pageSize: number,
): Promise<{ list: StoredRecord[]; total: number }> {
  return api.post(
    "/api/core/chat/getPaginationRecords",
    { ...authFields(auth), chatId, offset, pageSize, loadCustomFeedbacks: true },
    options(auth),
  );
}

export function loadResponses(auth: ChatAuth, chatId: string, dataId: string): Promise<Record<string, unknown>[]> {
  return api.get("/api/core/chat/getResData", { ...authFields(auth), chatId, dataId } as Query, options(auth));
}

/** A thumbs up or down (or neither): the vote not sent is removed, as FastGPT does. */
export function sendVote(auth: ChatAuth, chatId: string, dataId: string, vote: "good" | "bad" | null): Promise<null> {
  const body: Record<string, unknown> = { ...authFields(auth), chatId, dataId };
  if (vote === "good") body.userGoodFeedback = "yes";
  if (vote === "bad") body.userBadFeedback = "yes";
  return api.post<null>("/api/core/chat/feedback/updateUserFeedback", body, options(auth));
}

export function presignUpload(auth: ChatAuth, appId: string, chatId: string, filename: string): Promise<PresignedUpload> {
  const body: Record<string, unknown> = { appId, chatId, filename };
  if (auth.mode === "share") body.outLinkAuthData = { shareId: auth.shareId, outLinkUid: auth.outLinkUid };
  return api.post<PresignedUpload>("/api/core/chat/presignChatFilePostUrl", body, options(auth));
}

/** Send the file to the presigned URL: a PUT with the signed headers, or an S3-style POST form. */
export async function putFile(upload: PresignedUpload, file: File): Promise<void> {
  let response: Response;
  if (upload.method.toUpperCase() === "POST") {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields ?? {})) form.append(name, value);
    form.append("file", file);
    response = await fetch(upload.url, { method: "POST", body: form });
  } else {
    response = await fetch(upload.url, { method: "PUT", headers: upload.headers ?? {}, body: file });
  }
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = ((await response.json()) as { message?: string }).message || message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(message || "Upload failed", response.status);
  }
}

export interface CompletionRequest {
  chatId: string;
  responseChatItemId?: string;
  variables: Record<string, unknown>;
  messages: Array<{ role: "user"; content: unknown; dataId?: string }>;
}

/** One round over `/api/v1/chat/completions` (stream, detail): closing the stream stops the run. */
export function streamCompletion(
  auth: ChatAuth,
  request: CompletionRequest,
  signal: AbortSignal,
): Promise<AsyncGenerator<SseEvent>> {
  return postSse(
    "/api/v1/chat/completions",
    { ...authFields(auth), ...request, stream: true, detail: true },
    { key: auth.mode === "share" ? null : undefined, signal },
  );
}
