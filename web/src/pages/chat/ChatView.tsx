import { useEffect, useRef, useState, type ReactNode } from "react";
import { ErrorText } from "../../components/ErrorText";
import { Composer, type FileSelectConfig } from "./Composer";
import { HistorySidebar } from "./HistorySidebar";
import { Markdown } from "./Markdown";
import { MessageView } from "./MessageView";
import { pendingInteractive } from "./messageModel";
import type { ChatSession } from "./useChatSession";
import { missingVariables, visibleVariables } from "./variables";
import { VariablesForm } from "./VariablesForm";
import "./chat.css";

/** History on the left, the conversation and the question box on the right (both chat screens). */
export function ChatView({
  session,
  heading,
  showDetails,
}: {
  session: ChatSession;
  heading: ReactNode;
  showDetails: boolean;
}) {
  const chatConfig = session.init?.app.chatConfig ?? {};
  const defs = visibleVariables(chatConfig);
  const pending = pendingInteractive(session.messages);
  const [notice, setNotice] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const welcome = typeof chatConfig.welcomeText === "string" ? chatConfig.welcomeText : "";

  useEffect(() => {
    const element = log.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [session.messages]);

  function onSend(text: string, files: Parameters<ChatSession["send"]>[1]): boolean {
    const missing = missingVariables(defs, session.variables);
    if (missing.length) {
      setNotice(`Fill in the variables first: ${missing.join(", ")}`);
      return false;
    }
    setNotice(null);
    session.send(text, files);
    return true;
  }

  return (
    <div className="chat-layout">
      <HistorySidebar
        histories={session.histories}
        current={session.chatId}
        onOpen={session.openChat}
        onNew={session.newChat}
        onRename={session.rename}
        onDelete={session.remove}
      />
      <section className="chat-main" aria-label="Chat">
        <header className="chat-header">{heading}</header>
        <VariablesForm defs={defs} values={session.variables} onChange={session.setVariables} />
        <div className="chat-log" ref={log} role="log" aria-label="Conversation">
          {session.hasEarlier ? (
            <button type="button" className="link chat-earlier" onClick={session.loadEarlier}>
              Load earlier messages
            </button>
          ) : null}
          {welcome && session.messages.length === 0 && !session.loading ? (
            <div className="chat-row ai chat-welcome">
              <div className="chat-bubble">
                <Markdown text={welcome} />
              </div>
            </div>
          ) : null}
          {session.loading ? <p className="muted">Loading…</p> : null}
          {session.messages.map((message, index) => (
            <MessageView
              key={message.dataId}
              message={message}
              interactiveActive={!session.streaming && index === session.messages.length - 1 && pending !== null}
              actions={{
                onAnswer: session.answer,
                onVote: session.vote,
                onDetails: showDetails ? session.loadDetails : undefined,
              }}
            />
          ))}
        </div>
        {notice ? (
          <p className="error" role="alert">
            {notice}
          </p>
        ) : null}
        <ErrorText error={session.error} />
        {session.init ? (
          <Composer
            auth={session.auth}
            appId={session.init.appId}
            fileConfig={chatConfig.fileSelectConfig as FileSelectConfig | undefined}
            streaming={session.streaming}
            disabledReason={pending ? "Answer the question above to continue" : undefined}
            ensureChatId={session.ensureChatId}
            onSend={onSend}
            onStop={session.stop}
          />
        ) : null}
      </section>
    </div>
  );
}
