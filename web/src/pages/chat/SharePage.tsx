import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { ChatAuth } from "./chatApi";
import { ChatView } from "./ChatView";
import { nanoid } from "./ids";
import { useChatSession } from "./useChatSession";

const UID_PREFIX = "pyfastgpt.share.uid.";

/** The visitor's id for this link, kept in this browser (FastGPT's `outLinkUid`): their chats are theirs. */
export function visitorUid(shareId: string): string {
  const name = UID_PREFIX + shareId;
  let uid = localStorage.getItem(name);
  if (!uid) {
    uid = `visitor-${nanoid(20)}`;
    localStorage.setItem(name, uid);
  }
  return uid;
}

/**
 * /chat/share?shareId=… — a visitor's chat page: no sign-in, the link decides the app, what is shown of
 * node responses and citations (`showCite`) and whether running nodes are announced (`showRunningStatus`).
 */
export function SharePage() {
  const [params, setParams] = useSearchParams();
  const shareId = params.get("shareId") ?? "";
  const chatId = params.get("chatId") ?? "";
  const outLinkUid = useMemo(() => (shareId ? visitorUid(shareId) : ""), [shareId]);
  const setChatId = useCallback(
    (id: string) => setParams(id ? { shareId, chatId: id } : { shareId }, { replace: false }),
    [setParams, shareId],
  );
  const auth: ChatAuth | null = shareId ? { mode: "share", shareId, outLinkUid } : null;
  const session = useChatSession(auth, chatId, setChatId);
  if (!shareId) {
    return (
      <p className="error" role="alert">
        This share link has no shareId.
      </p>
    );
  }
  return (
    <div className="chat-share">
      <ChatView
        session={session}
        showDetails={false}
        heading={<h1>{session.init?.app.name ?? "Chat"}</h1>}
      />
    </div>
  );
}
