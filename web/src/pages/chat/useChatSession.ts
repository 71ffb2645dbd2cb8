// One chat screen's state: the app's chat settings, the history list, the open conversation and
// the running stream. Both the signed-in page and the share page use it with their own `ChatAuth`.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import {
  deleteHistory,
  initChat,
  listHistories,
  loadRecords,
  loadResponses,
  renameHistory,
  sendVote,
  streamCompletion,
  type ChatAuth,
  type CompletionRequest,
  type HistoryItem,
  type InitData,
} from "./chatApi";
import { nanoid } from "./ids";
import { humanMessage, pendingAnswer, pendingInteractive, type AttachedFile, type Vote } from "./messageModel";
import { recordsToMessages } from "./records";
import { chatReducer, emptyChat } from "./streamReducer";
import { initialValues, visibleVariables } from "./variables";

const PAGE_SIZE = 30;
const BUSY_RETRIES = 4;
const BUSY_RETRY_MS = 250;

export interface ChatSession {
  auth: ChatAuth;
  chatId: string;
  init: InitData | null;
  histories: HistoryItem[];
  messages: ReturnType<typeof chatReducer>["messages"];
  variables: Record<string, unknown>;
  setVariables: (values: Record<string, unknown>) => void;
  streaming: boolean;
  loading: boolean;
  error: unknown;
  hasEarlier: boolean;
  send: (text: string, files: AttachedFile[]) => void;
  answer: (value: string) => void;
  stop: () => void;
  vote: (dataId: string, vote: Vote) => void;
  loadEarlier: () => void;
  loadDetails: (dataId: string) => void;
  newChat: () => void;
  openChat: (chatId: string) => void;
  rename: (chatId: string, title: string) => Promise<void>;
  remove: (chatId: string) => Promise<void>;
  ensureChatId: () => string;
}

/**
 * Start a round; a 409 (the chat is still generating: a run just stopped is still being stored) is
 * tried again a few times before it is shown.
 */
async function startRound(auth: ChatAuth, request: CompletionRequest, signal: AbortSignal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await streamCompletion(auth, request, signal);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409) || attempt >= BUSY_RETRIES || signal.aborted) throw err;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS * attempt));
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * `chatId` is the one in the URL; `onChatId` puts another there (FastGPT keeps `?chatId=` so a reload
 * reopens the conversation). A chat id this page made itself is not reloaded from the server.
 */
export function useChatSession(auth: ChatAuth | null, chatId: string, onChatId: (id: string) => void): ChatSession {
  const [state, dispatch] = useReducer(chatReducer, emptyChat);
  const [init, setInit] = useState<InitData | null>(null);
  const [histories, setHistories] = useState<HistoryItem[]>([]);
  const [variables, setVariables] = useState<Record<string, unknown>>({});
  const [streaming, setStreaming] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [records, setRecords] = useState({ loaded: 0, total: 0 });
  const abortRef = useRef<AbortController | null>(null);
  const madeHere = useRef<string>("");
  const authKey = auth ? JSON.stringify(auth) : "";
  // The auth object is rebuilt on every render of the page: key it by value.
  const stableAuth = useMemo(() => auth, [authKey]);

  const refreshHistories = useCallback(async () => {
    if (!stableAuth) return;
    try {
      setHistories(await listHistories(stableAuth));
    } catch (err) {
      setError(err);
    }
  }, [stableAuth]);

  useEffect(() => {
    void refreshHistories();
  }, [refreshHistories]);

  // Open the conversation named in the URL (or a new one).
  useEffect(() => {
    if (!stableAuth) return;
    if (chatId && chatId === madeHere.current) return;
    abortRef.current?.abort();
    let cancelled = false;
    setLoading(true);
    setError(null);
    dispatch({ type: "load", messages: [] });
    (async () => {
      try {
        const data = await initChat(stableAuth, chatId);
        const page = chatId ? await loadRecords(stableAuth, chatId, 0, PAGE_SIZE) : { list: [], total: 0 };
        if (cancelled) return;
        setInit(data);
        setVariables(initialValues(visibleVariables(data.app.chatConfig), data.variables ?? {}));
        dispatch({ type: "load", messages: recordsToMessages(page.list) });
        setRecords({ loaded: page.list.length, total: page.total });
      } catch (err) {
        if (!cancelled) setError(err);
      } finally {
        if (!cancelled) setLoading(false);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [stableAuth, chatId]);

  // Leaving the page closes the stream (the v1 route then stops the run).
  useEffect(() => () => abortRef.current?.abort(), []);

  const ensureChatId = useCallback(() => {
    if (chatId) return chatId;
    const id = nanoid(24);
    madeHere.current = id;
    onChatId(id);
    return id;
  }, [chatId, onChatId]);

  const runRound = useCallback(
    async (answerId: string, request: CompletionRequest, fresh = false) => {
      if (!stableAuth) return;
      const controller = new AbortController();
      abortRef.current = controller;
      setStreaming(true);
      try {
        const events = await startRound(stableAuth, request, controller.signal);
        let listed = !fresh;
        for await (const event of events) {
          dispatch({ type: "sse", dataId: answerId, event });
          if (!listed) {
            listed = true; // a new chat is stored once its round begins: list it while it runs
            void refreshHistories();
          }
        }
        dispatch({ type: "end", dataId: answerId });
      } catch (err) {
        if (controller.signal.aborted) dispatch({ type: "stopped", dataId: answerId });
        else dispatch({ type: "failed", dataId: answerId, message: errorText(err) });
      } finally {
        if (abortRef.current === controller) abortRef.current = null;
        setStreaming(false);
        void refreshHistories();
      }
    },
    [stableAuth, refreshHistories],
  );

  const send = useCallback(
    (text: string, files: AttachedFile[]) => {
      if (!stableAuth || streaming) return;
      const id = ensureChatId();
      const fresh = !histories.some((item) => item.chatId === id);
      const human = humanMessage(nanoid(24), text, files);
      const answer = pendingAnswer(nanoid(24));
      dispatch({ type: "send", human, answer });
      const content = files.length
        ? [
            ...(text ? [{ type: "text", text }] : []),
            ...files.map((file) =>
              file.type === "image"
                ? { type: "image_url", image_url: { url: file.url } }
                : { type: "file_url", name: file.name, url: file.url },
            ),
          ]
        : text;
      void runRound(
        answer.dataId,
        {
          chatId: id,
          responseChatItemId: answer.dataId,
          variables,
          messages: [{ role: "user", content, dataId: human.dataId }],
        },
        fresh,
      );
    },
    [stableAuth, streaming, histories, ensureChatId, runRound, variables],
  );

  // A userSelect option's value, or a form's JSON: the next message of the same chat, continuing the answer.
  const answer = useCallback(
    (value: string) => {
      const last = state.messages[state.messages.length - 1];
      if (!stableAuth || streaming || !chatId || !last || !pendingInteractive(state.messages)) return;
      dispatch({ type: "resume", answer: value });
      void runRound(last.dataId, { chatId, variables, messages: [{ role: "user", content: value }] });
    },
    [stableAuth, streaming, chatId, state.messages, runRound, variables],
  );

  const stop = useCallback(() => abortRef.current?.abort(), []);

  const vote = useCallback(
    (dataId: string, next: Vote) => {
      if (!stableAuth || !chatId) return;
      const before = state.messages.find((m) => m.dataId === dataId)?.vote ?? null;
      dispatch({ type: "vote", dataId, vote: next });
      sendVote(stableAuth, chatId, dataId, next).catch((err: unknown) => {
        dispatch({ type: "vote", dataId, vote: before });
        setError(err);
      });
    },
    [stableAuth, chatId, state.messages],
  );

  const loadEarlier = useCallback(() => {
    if (!stableAuth || !chatId) return;
    loadRecords(stableAuth, chatId, records.loaded, PAGE_SIZE)
      .then((page) => {
        dispatch({ type: "prepend", messages: recordsToMessages(page.list) });
        setRecords({ loaded: records.loaded + page.list.length, total: page.total });
      })
      .catch(setError);
  }, [stableAuth, chatId, records.loaded]);

  const loadDetails = useCallback(
    (dataId: string) => {
      if (!stableAuth || !chatId) return;
      loadResponses(stableAuth, chatId, dataId)
        .then((responses) => dispatch({ type: "responses", dataId, responses: responses ?? [] }))
        .catch(setError);
    },
    [stableAuth, chatId],
  );

  const newChat = useCallback(() => {
    abortRef.current?.abort();
    madeHere.current = "";
    onChatId("");
  }, [onChatId]);

  const openChat = useCallback(
    (id: string) => {
      if (id === chatId) return;
      madeHere.current = "";
      onChatId(id);
    },
    [chatId, onChatId],
  );

  const rename = useCallback(
    async (id: string, title: string) => {
      if (!stableAuth) return;
      await renameHistory(stableAuth, id, title);
      await refreshHistories();
    },
    [stableAuth, refreshHistories],
  );

  const remove = useCallback(
    async (id: string) => {
      if (!stableAuth) return;
      await deleteHistory(stableAuth, id);
      if (id === chatId) newChat();
      await refreshHistories();
    },
    [stableAuth, chatId, newChat, refreshHistories],
  );

  return {
    auth: stableAuth as ChatAuth,
    chatId,
    init,
    histories,
    messages: state.messages,
    variables,
    setVariables,
    streaming,
    loading,
    error,
    hasEarlier: records.loaded < records.total,
    send,
    answer,
    stop,
    vote,
    loadEarlier,
    loadDetails,
    newChat,
    openChat,
    rename,
    remove,
    ensureChatId,
  };
}
