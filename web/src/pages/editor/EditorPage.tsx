// The workflow editor (/apps/:appId/workflow, full window): FastGPT's graph drawn and edited, saved as a
// draft or published through /api/core/app/version/publish, tried with /api/core/chat/chatTest.
import "@xyflow/react/dist/style.css";
import "./editor.css";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { api, listOf } from "../../api/client";
import type { AppDetail } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { addFromTemplate, ensureStart } from "../../graph/adding";
import { placeUnplaced } from "../../graph/layout";
import { findNode, fromStored, toStored } from "../../graph/document";
import type { RunStatus } from "../../graph/flow";
import { refIndex } from "../../graph/references";
import type { NodeTemplate } from "../../graph/templates";
import type { GraphDoc } from "../../graph/types";
import { AddNodeMenu } from "./AddNodeMenu";
import { FlowCanvas } from "./FlowCanvas";
import type { DatasetOption, ModelOption } from "./InputField";
import { RefLabelContext } from "./NodeCard";
import { NodeSettings } from "./NodeSettings";
import { TestPanel } from "./TestPanel";

export function EditorPage() {
  const { appId = "" } = useParams();
  const { data: app, error } = useLoad(() => api.get<AppDetail>("/api/core/app/detail", { appId }), [appId]);
  if (!app) {
    return (
      <div className="editor-loading">
        {error ? <ErrorText error={error} /> : <p>Loading…</p>}
        <Link to={`/apps/${appId}`}>Back to the app</Link>
      </div>
    );
  }
  if (fromStored(app).nodes.some((node) => typeof node?.nodeId !== "string" || !node.nodeId)) {
    return (
      <div className="editor-loading">
        <p className="error" role="alert">
          This app is stored in FastGPT's format from before 4.8 (modules without node ids). Import it into FastGPT 4.8+ and
          export it again to edit it here.
        </p>
        <Link to={`/apps/${appId}`}>Back to the app</Link>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Editor key={app._id} app={app} />
    </ReactFlowProvider>
  );
}

interface ModelItem extends ModelOption {
  type?: string;
  isDefault?: boolean;
}

type Side = "settings" | "test";

function Editor({ app }: { app: AppDetail }) {
  const initial = useMemo(() => fromStored(app), [app]);
  const [doc, setDoc] = useState<GraphDoc>(() => ensureStart(placeUnplaced(initial), app.type));
  const [saved, setSaved] = useState<GraphDoc>(initial);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [statuses, setStatuses] = useState<Record<string, RunStatus | undefined>>({});
  const [side, setSide] = useState<Side>("settings");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [models, setModels] = useState<ModelItem[]>([]);
  const [datasets, setDatasets] = useState<DatasetOption[]>([]);
  const canvas = useRef<HTMLDivElement>(null);
  const flow = useReactFlow();

  useEffect(() => {
    api.get<ModelItem[] | { list: ModelItem[] }>("/api/core/ai/model/list").then(
      (data) => setModels(listOf(data).filter((model) => !model.type || model.type === "llm")),
      () => setModels([]),
    );
    api.post<DatasetOption[] | { list: DatasetOption[] }>("/api/core/dataset/list", {}).then(
      (data) => setDatasets(listOf(data).filter((item) => (item as { type?: string }).type !== "folder")),
      () => setDatasets([]),
    );
  }, []);

  const update = useCallback((edit: (current: GraphDoc) => GraphDoc) => {
    setDoc((current) => edit(current));
    setNotice("");
  }, []);

  const dirty = doc !== saved;
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const { signature, label } = useMemo(() => refIndex(doc), [doc]);
  // the labeler changes only with names and output labels, so the memoized cards stay put otherwise
  const refLabel = useMemo(() => label, [signature]);

  const addNode = useCallback(
    (template: NodeTemplate) => {
      const rect = canvas.current?.getBoundingClientRect();
      const center = rect
        ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 3 })
        : { x: 0, y: 0 };
      const sizes = new Map(
        flow.getNodes().flatMap((node) => (node.measured?.width && node.measured.height ? [[node.id, { width: node.measured.width, height: node.measured.height }] as const] : [])),
      );
      const defaultModel = (models.find((model) => model.isDefault) ?? models[0])?.model;
      update((current) => addFromTemplate(current, template, { x: center.x - 150, y: center.y - 60 }, { defaultModel, sizes }).doc);
      setNotice(`Added ${template.name}`);
    },
    [flow, models, update],
  );

  async function save(isPublish: boolean) {
    setBusy(true);
    setError(null);
    const snapshot = doc;
    try {
      await api.post("/api/core/app/version/publish", { ...toStored(snapshot), isPublish }, { query: { appId: app._id } });
      setSaved(snapshot);
      setNotice(isPublish ? "Published" : "Draft saved");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const selected = selectedId ? findNode(doc, selectedId) : undefined;
  const hasStart = doc.nodes.some((node) => node.flowNodeType === "workflowStart");

  return (
    <div className="editor">
      <header className="editor-toolbar">
        <Link to={`/apps/${app._id}`} aria-label="Back to the app">
          ←
        </Link>
        <h1>{app.name}</h1>
        <span className="muted" aria-live="polite">
          {doc.nodes.length} nodes · {doc.edges.length} edges{dirty ? " · unsaved changes" : ""}
        </span>
        <span className="editor-notice" role="status">
          {notice}
        </span>
        <div className="editor-toolbar-actions">
          <AddNodeMenu hasStart={hasStart} onPick={addNode} />
          <button type="button" className="secondary" disabled={busy} onClick={() => void save(false)}>
            Save draft
          </button>
          <button type="button" disabled={busy} onClick={() => void save(true)}>
            Publish
          </button>
        </div>
      </header>
      <ErrorText error={error} />
      <div className="editor-body">
        <div className="editor-canvas" ref={canvas}>
          <RefLabelContext.Provider value={refLabel}>
            <FlowCanvas doc={doc} update={update} statuses={statuses} onSelect={setSelectedId} />
          </RefLabelContext.Provider>
        </div>
        <aside className="editor-side">
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={side === "settings"} className={`tab${side === "settings" ? " active" : ""}`} onClick={() => setSide("settings")}>
              Node settings
            </button>
            <button type="button" role="tab" aria-selected={side === "test"} className={`tab${side === "test" ? " active" : ""}`} onClick={() => setSide("test")}>
              Test run
            </button>
          </div>
          <div hidden={side !== "settings"}>
            {selected ? (
              <NodeSettings key={selected.nodeId} doc={doc} node={selected} models={models} datasets={datasets} update={update} />
            ) : (
              <p className="muted">Select a node to edit its settings. Drag from a node's right handle to another node's left handle to connect them; drop an output's handle on an input's handle to make the input read it.</p>
            )}
          </div>
          <div hidden={side !== "test"}>
            <TestPanel appId={app._id} appName={app.name} doc={doc} onStatuses={setStatuses} />
          </div>
        </aside>
      </div>
    </div>
  );
}
