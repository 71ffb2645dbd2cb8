// "Test run": the unsaved graph run by POST /api/core/chat/chatTest (stream + detail), the answer as it
// streams, each node's status on the canvas, and every node's response when the run ends.
import { useRef, useState, type FormEvent } from "react";
import { postSse } from "../../api/sse";
import { ErrorText } from "../../components/ErrorText";
import { newNodeId } from "../../graph/ids";
import { typeText } from "../../graph/labels";
import type { RunStatus } from "../../graph/flow";
import type { GraphDoc } from "../../graph/types";

export interface NodeResponse {
  nodeId?: string;
  moduleName?: string;
  moduleType?: string;
  runningTime?: number;
  totalPoints?: number;
  tokens?: number;
  inputTokens?: number;
  outputTokens?: number;
  model?: string;
  error?: unknown;
  errorText?: unknown;
  [field: string]: unknown;
}

interface Turn {
  question: string;
  answer: string;
  responses: NodeResponse[];
  options?: string[];
}

export interface TestPanelProps {
  appId: string;
  appName: string;
  doc: GraphDoc;
  onStatuses: (statuses: Record<string, RunStatus | undefined>) => void;
}

function deltaOf(data: string): string {
  try {
    const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }> };
    return chunk.choices?.[0]?.delta?.content ?? "";
  } catch {
    return "";
  }
}

function variableDefaults(doc: GraphDoc): Record<string, string> {
  const list = Array.isArray(doc.chatConfig.variables) ? (doc.chatConfig.variables as Array<Record<string, unknown>>) : [];
  return Object.fromEntries(list.map((item) => [String(item.key), item.defaultValue === undefined ? "" : String(item.defaultValue)]));
}

export function TestPanel({ appId, appName, doc, onStatuses }: TestPanelProps) {
  const [message, setMessage] = useState("");
  const [turns, setTurns] = useState<Turn[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [variables, setVariables] = useState<Record<string, string>>(() => variableDefaults(doc));
  const chatId = useRef(newNodeId(new Set(), 24));
  const abort = useRef<AbortController | null>(null);
  const variableList = Array.isArray(doc.chatConfig.variables) ? (doc.chatConfig.variables as Array<Record<string, unknown>>) : [];

  async function run(question: string) {
    if (!question.trim() || running) return;
    setRunning(true);
    setError(null);
    setMessage("");
    setTurns((list) => [...list, { question, answer: "", responses: [] }]);
    const patchLast = (patch: (turn: Turn) => Turn) => setTurns((list) => [...list.slice(0, -1), patch(list[list.length - 1])]);
    const idsByName = new Map<string, string[]>();
    for (const node of doc.nodes) idsByName.set(node.name, [...(idsByName.get(node.name) ?? []), node.nodeId]);
    const statuses: Record<string, RunStatus | undefined> = {};
    onStatuses({});
    const controller = new AbortController();
    abort.current = controller;
    try {
      const events = await postSse(
        "/api/core/chat/chatTest",
        {
          appId,
          appName,
          chatId: chatId.current,
          nodes: doc.nodes,
          edges: doc.edges,
          chatConfig: doc.chatConfig,
          variables,
          messages: [{ role: "user", content: question }],
          stream: true,
          detail: true,
        },
        { signal: controller.signal },
      );
      for await (const { event, data } of events) {
        if ((event === "answer" || event === "fastAnswer") && data !== "[DONE]") {
          const text = deltaOf(data);
          if (text) patchLast((turn) => ({ ...turn, answer: turn.answer + text }));
        } else if (event === "flowNodeStatus") {
          const name = (JSON.parse(data) as { name?: string }).name ?? "";
          for (const [id, status] of Object.entries(statuses)) if (status === "running") statuses[id] = "done";
          for (const id of idsByName.get(name) ?? []) statuses[id] = "running";
          onStatuses({ ...statuses });
        } else if (event === "flowResponses") {
          const responses = JSON.parse(data) as NodeResponse[];
          for (const id of Object.keys(statuses)) statuses[id] = undefined;
          for (const response of responses) {
            if (response.nodeId) statuses[response.nodeId] = response.error || response.errorText ? "error" : "done";
          }
          onStatuses({ ...statuses });
          patchLast((turn) => ({ ...turn, responses }));
        } else if (event === "interactive") {
          const interactive = (JSON.parse(data) as { interactive?: { type?: string; params?: Record<string, unknown> } }).interactive;
          const options = interactive?.params?.userSelectOptions;
          if (Array.isArray(options)) {
            patchLast((turn) => ({ ...turn, options: options.map((option) => String((option as { value?: unknown }).value ?? "")) }));
          }
        } else if (event === "error") {
          const body = JSON.parse(data) as { message?: string };
          setError(new Error(body.message || "The run failed"));
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) setError(err);
    } finally {
      abort.current = null;
      setRunning(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(message);
  }

  function reset() {
    abort.current?.abort();
    chatId.current = newNodeId(new Set(), 24);
    setTurns([]);
    setError(null);
    onStatuses({});
  }

  return (
    <section className="editor-test" aria-label="Test run">
      {variableList.length ? (
        <fieldset className="editor-test-vars">
          <legend>Variables</legend>
          {variableList.map((item) => {
            const key = String(item.key);
            return (
              <label key={key}>
                {String(item.label || key)}
                <input value={variables[key] ?? ""} onChange={(e) => setVariables({ ...variables, [key]: e.target.value })} />
              </label>
            );
          })}
        </fieldset>
      ) : null}
      <ol className="editor-test-turns" aria-label="Test chat">
        {turns.map((turn, index) => (
          <li key={index}>
            <p className="editor-test-question">{turn.question}</p>
            <div className="editor-test-answer" aria-label="Answer">
              {turn.answer.trim() || (running && index === turns.length - 1 ? "…" : "")}
            </div>
            {turn.options?.length && index === turns.length - 1 ? (
              <div className="actions">
                {turn.options.map((option) => (
                  <button key={option} type="button" className="secondary" disabled={running} onClick={() => void run(option)}>
                    {option}
                  </button>
                ))}
              </div>
            ) : null}
            {turn.responses.length ? <Responses responses={turn.responses} /> : null}
          </li>
        ))}
      </ol>
      <ErrorText error={error} />
      <form className="editor-test-form" onSubmit={submit}>
        <textarea
          aria-label="Test message"
          rows={2}
          value={message}
          placeholder="Ask something"
          onChange={(e) => setMessage(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              void run(message);
            }
          }}
        />
        <div className="actions">
          <button type="submit" disabled={running || !message.trim()}>
            {running ? "Running…" : "Run"}
          </button>
          <button type="button" className="secondary" onClick={reset}>
            New test
          </button>
        </div>
      </form>
    </section>
  );
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function tokensOf(response: NodeResponse): string {
  if (typeof response.inputTokens === "number" || typeof response.outputTokens === "number") {
    return `${response.inputTokens ?? 0} in / ${response.outputTokens ?? 0} out tokens`;
  }
  return typeof response.tokens === "number" ? `${response.tokens} tokens` : "";
}

const SUMMARY_FIELDS = new Set(["id", "nodeId", "moduleName", "moduleType", "moduleLogo", "runningTime", "totalPoints", "tokens", "inputTokens", "outputTokens"]);

function Responses({ responses }: { responses: NodeResponse[] }) {
  return (
    <ol className="editor-responses" aria-label="Node responses">
      {responses.map((response, index) => {
        const details = Object.fromEntries(Object.entries(response).filter(([key]) => !SUMMARY_FIELDS.has(key)));
        const failed = response.error || response.errorText;
        return (
          <li key={String(response.id ?? index)} className={failed ? "failed" : undefined}>
            <div className="editor-response-head">
              <strong>{response.moduleName ?? response.nodeId}</strong>
              <span className="muted">{response.moduleType ? typeText(response.moduleType) : ""}</span>
              {typeof response.runningTime === "number" ? <span className="muted">{response.runningTime}s</span> : null}
              {tokensOf(response) ? <span className="muted">{tokensOf(response)}</span> : null}
              {typeof response.totalPoints === "number" && response.totalPoints > 0 ? (
                <span className="muted">{response.totalPoints} points</span>
              ) : null}
            </div>
            {failed ? <p className="error">{textOf(response.errorText ?? response.error)}</p> : null}
            {Object.keys(details).length ? (
              <details>
                <summary>Inputs and outputs</summary>
                <pre>{JSON.stringify(details, null, 2)}</pre>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
