import { useState } from "react";
import { Citations } from "./Citations";
import { FileIcon, ThumbDownIcon, ThumbUpIcon, ToolIcon } from "./icons";
import { InteractiveBlock } from "./InteractiveBlock";
import { Markdown } from "./Markdown";
import { copyText } from "./markdown";
import { messageText, type ChatMessage, type NodeResponse, type ToolRun, type Vote } from "./messageModel";

export interface MessageActions {
  onAnswer: (value: string) => void;
  onVote: (dataId: string, vote: Vote) => void;
  onDetails?: (dataId: string) => void;
}

/** One bubble: the question, or the answer with its parts, running status, citations and actions. */
export function MessageView({
  message,
  interactiveActive,
  actions,
}: {
  message: ChatMessage;
  interactiveActive: boolean;
  actions: MessageActions;
}) {
  if (message.role === "Human") return <Question message={message} />;
  return <Answer message={message} interactiveActive={interactiveActive} actions={actions} />;
}

function Question({ message }: { message: ChatMessage }) {
  return (
    <article className="chat-row human" aria-label="Question">
      <div className="chat-bubble">
        {message.value.map((part, index) => {
          if (part.type === "text") return <p key={index} className="chat-plain">{part.text}</p>;
          if (part.type === "file") {
            return part.file.type === "image" ? (
              <img key={index} className="chat-image" src={part.file.url} alt={part.file.name} />
            ) : (
              <a key={index} className="chat-file" href={part.file.url} target="_blank" rel="noopener noreferrer">
                <FileIcon /> {part.file.name}
              </a>
            );
          }
          return null;
        })}
      </div>
    </article>
  );
}

function Answer({
  message,
  interactiveActive,
  actions,
}: {
  message: ChatMessage;
  interactiveActive: boolean;
  actions: MessageActions;
}) {
  const busy = message.status !== "finish";
  const lastIndex = message.value.length - 1;
  const [copied, setCopied] = useState(false);
  return (
    <article className="chat-row ai" aria-label="Answer" aria-busy={busy}>
      <div className="chat-bubble">
        {message.value.map((part, index) => {
          switch (part.type) {
            case "text":
              return <Markdown key={index} text={part.text} />;
            case "reasoning":
              return (
                <details key={index} className="chat-reasoning">
                  <summary>Reasoning</summary>
                  <Markdown text={part.text} />
                </details>
              );
            case "tool":
              return <Tools key={index} tools={part.tools} />;
            case "interactive":
              return (
                <InteractiveBlock
                  key={index}
                  interactive={part.interactive}
                  active={interactiveActive && index === lastIndex}
                  onAnswer={actions.onAnswer}
                />
              );
            case "file":
              return (
                <a key={index} className="chat-file" href={part.file.url} target="_blank" rel="noopener noreferrer">
                  <FileIcon /> {part.file.name}
                </a>
              );
            default:
              return null;
          }
        })}
        {busy ? (
          <p className="chat-status" role="status">
            {message.runningNode ? `Running node ${message.runningNode}…` : "Thinking…"}
          </p>
        ) : null}
        {message.error ? (
          <div className="chat-error" role="alert">
            {message.error}
          </div>
        ) : null}
        {message.stopped ? <p className="muted">Stopped.</p> : null}
        <Citations quotes={message.quotes} />
      </div>
      {!busy ? (
        <div className="chat-actions">
          <button
            type="button"
            className="chat-icon"
            aria-label="Copy answer"
            onClick={() => void copyText(messageText(message)).then(() => setCopied(true))}
          >
            {copied ? "Copied" : "Copy"}
          </button>
          <button
            type="button"
            className={message.vote === "good" ? "chat-icon voted" : "chat-icon"}
            aria-label="Good answer"
            aria-pressed={message.vote === "good"}
            onClick={() => actions.onVote(message.dataId, message.vote === "good" ? null : "good")}
          >
            <ThumbUpIcon />
          </button>
          <button
            type="button"
            className={message.vote === "bad" ? "chat-icon voted bad" : "chat-icon"}
            aria-label="Bad answer"
            aria-pressed={message.vote === "bad"}
            onClick={() => actions.onVote(message.dataId, message.vote === "bad" ? null : "bad")}
          >
            <ThumbDownIcon />
          </button>
          {message.durationSeconds !== undefined ? (
            <span className="muted">{message.durationSeconds.toFixed(2)} s</span>
          ) : null}
          {actions.onDetails || message.responses ? (
            <NodeDetails message={message} onLoad={actions.onDetails} />
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function Tools({ tools }: { tools: ToolRun[] }) {
  return (
    <div className="chat-tools">
      {tools.map((tool, index) => (
        <details key={tool.id || index} className="chat-tool">
          <summary>
            <ToolIcon /> {tool.toolName || "tool"}
          </summary>
          {tool.params ? (
            <>
              <div className="muted">Parameters</div>
              <pre>{tool.params}</pre>
            </>
          ) : null}
          {tool.response ? (
            <>
              <div className="muted">Response</div>
              <pre>{tool.response}</pre>
            </>
          ) : null}
        </details>
      ))}
    </div>
  );
}

function seconds(value: unknown): string {
  return typeof value === "number" ? value.toFixed(2) : "–";
}

/** The round's node responses: loaded on first open when the stream did not bring them. */
function NodeDetails({ message, onLoad }: { message: ChatMessage; onLoad?: (dataId: string) => void }) {
  const responses: NodeResponse[] | undefined = message.responses;
  const [open, setOpen] = useState(false);
  return (
    <details
      className="chat-details"
      onToggle={(event) => {
        const nowOpen = (event.currentTarget as HTMLDetailsElement).open;
        setOpen(nowOpen);
        if (nowOpen && responses === undefined) onLoad?.(message.dataId);
      }}
    >
      <summary>Node details</summary>
      {!open ? null : responses === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="table chat-node-table" aria-label="Node responses">
          <thead>
            <tr>
              <th>Node</th>
              <th>Type</th>
              <th>Time (s)</th>
              <th>Points</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {responses.map((response, index) => (
              <tr key={String(response.id ?? response.nodeId ?? index)}>
                <td>{String(response.moduleName ?? response.nodeId ?? "")}</td>
                <td>{String(response.moduleType ?? "")}</td>
                <td>{seconds(response.runningTime)}</td>
                <td>{typeof response.totalPoints === "number" ? response.totalPoints.toFixed(4) : "–"}</td>
                <td>
                  {response.errorText ? <span className="error">{String(response.errorText)} </span> : null}
                  <details>
                    <summary>JSON</summary>
                    <pre className="chat-json">{JSON.stringify(response, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
