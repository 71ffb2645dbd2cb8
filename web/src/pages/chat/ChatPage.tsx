import { useCallback } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import type { ChatAuth } from "./chatApi";
import { ChatView } from "./ChatView";
import { useChatSession } from "./useChatSession";

/** /apps/:appId/chat — chat with an app as the signed-in key holder; `?chatId=` names the open chat. */
export function ChatPage() {
  const { appId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const chatId = params.get("chatId") ?? "";
  const setChatId = useCallback(
    (id: string) => setParams(id ? { chatId: id } : {}, { replace: false }),
    [setParams],
  );
  const auth: ChatAuth = { mode: "key", appId };
  const session = useChatSession(auth, chatId, setChatId);
  return (
    <ChatView
      session={session}
      showDetails
      heading={
        <>
          <h1>{session.init?.app.name ?? "Chat"}</h1>
          <nav className="actions" aria-label="App">
            <Link to={`/apps/${appId}`}>App settings</Link>
            <Link to={`/apps/${appId}/logs`}>Logs</Link>
          </nav>
        </>
      }
    />
  );
}
