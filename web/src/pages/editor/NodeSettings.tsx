// The side panel of the selected node: its name and one field per input, generated from `renderTypeList`.
import { useMemo } from "react";
import { removeNodes, renameNode, setInputValue, setReference, setRenderType, renderTypeOf } from "../../graph/document";
import { UNDELETABLE } from "../../graph/flow";
import { labelText, typeText } from "../../graph/labels";
import { referenceGroups } from "../../graph/references";
import { inputsOf, type FlowInput, type FlowNode, type GraphDoc } from "../../graph/types";
import { InputField, type DatasetOption, type ModelOption } from "./InputField";
import { NO_EDITABLE_INPUTS } from "./NodeCard";

const NOT_EDITABLE = new Set(["addInputParam"]);

export interface NodeSettingsProps {
  doc: GraphDoc;
  node: FlowNode;
  models: ModelOption[];
  datasets: DatasetOption[];
  update: (edit: (doc: GraphDoc) => GraphDoc) => void;
}

function isSimpleHidden(input: FlowInput): boolean {
  const type = input.valueType;
  return (
    renderTypeOf(input) === "hidden" &&
    (type === "number" || type === "boolean" || type === "string") &&
    (input.value === undefined || typeof input.value === type)
  );
}

export function NodeSettings({ doc, node, models, datasets, update }: NodeSettingsProps) {
  const nodeId = node.nodeId;
  const references = useMemo(() => referenceGroups(doc, nodeId), [doc, nodeId]);
  const context = useMemo(() => ({ models, datasets, references }), [models, datasets, references]);
  const inputs = NO_EDITABLE_INPUTS.has(node.flowNodeType) ? [] : inputsOf(node);
  const shown = inputs.filter((input) => renderTypeOf(input) !== "hidden" && !NOT_EDITABLE.has(renderTypeOf(input)));
  const advanced = inputs.filter(isSimpleHidden);

  return (
    <section className="editor-settings" aria-label="Node settings">
      <label>
        Node name
        <input value={node.name} onChange={(e) => update((d) => renameNode(d, nodeId, e.target.value))} />
      </label>
      <p className="muted">
        {typeText(node.flowNodeType)} · <code>{nodeId}</code>
      </p>
      {typeof node.intro === "string" && node.intro && !node.intro.includes(":") ? <p className="hint">{node.intro}</p> : null}
      {shown.map((input) => (
        <InputField
          key={input.key}
          nodeId={nodeId}
          input={input}
          context={context}
          onValue={(value) => update((d) => setInputValue(d, nodeId, input.key, value))}
          onReference={(ref) => update((d) => setReference(d, nodeId, input.key, ref))}
          onRenderType={(index) => update((d) => setRenderType(d, nodeId, input.key, index))}
        />
      ))}
      {advanced.length ? (
        <details className="editor-advanced">
          <summary>More settings</summary>
          {advanced.map((input) => {
            const label = labelText(input.label, input.key);
            const set = (value: unknown) => update((d) => setInputValue(d, nodeId, input.key, value));
            if (input.valueType === "boolean") {
              return (
                <label key={input.key} className="inline">
                  <input type="checkbox" checked={input.value === true} onChange={(e) => set(e.target.checked)} /> {label}
                </label>
              );
            }
            return (
              <label key={input.key}>
                {label}
                <input
                  type={input.valueType === "number" ? "number" : "text"}
                  step="any"
                  value={input.value === undefined ? "" : String(input.value)}
                  onChange={(e) =>
                    set(input.valueType === "number" ? (e.target.value === "" ? undefined : Number(e.target.value)) : e.target.value)
                  }
                />
              </label>
            );
          })}
        </details>
      ) : null}
      {UNDELETABLE.has(node.flowNodeType) ? null : (
        <button type="button" className="secondary danger" onClick={() => update((d) => removeNodes(d, [nodeId]))}>
          Delete node
        </button>
      )}
    </section>
  );
}
