// One workflow node on the canvas: header, inputs (a handle on each that can take a reference), outputs
// (a handle on each), branch handles. Memoized: it re-renders only when its own stored node, the handles
// edges use on it, its run status or the reference labels change.
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { createContext, memo, useContext, useMemo } from "react";
import { renderTypeOf } from "../../graph/document";
import type { CardNode } from "../../graph/flow";
import { inputHandleId, nodeHandles, outputHandleId, type HandleSpec, type Side } from "../../graph/handles";
import { labelText, typeText } from "../../graph/labels";
import { readableOutputs, valueSummary, type RefLabeler } from "../../graph/references";
import { inputsOf, outputRefId } from "../../graph/types";

export const RefLabelContext = createContext<RefLabeler>(([nodeId, outputId]) => `${nodeId} › ${outputId}`);

const SIDES: Record<Side, Position> = {
  left: Position.Left,
  right: Position.Right,
  top: Position.Top,
  bottom: Position.Bottom,
};

const HIDDEN_IN_CARD = new Set(["hidden", "addInputParam"]);
/** Nodes whose inputs are filled by the run, not by the user (FastGPT does not show them either). */
export const NO_EDITABLE_INPUTS = new Set(["workflowStart", "userGuide"]);
const STATUS_TEXT = { running: "Running", done: "Done", error: "Error" } as const;

/** The test id of a handle, without the node id ("source-right", "target-left", "source-IF"). */
function testIdOf(nodeId: string, handle: HandleSpec): string {
  return handle.id.startsWith(`${nodeId}-`) ? handle.id.slice(nodeId.length + 1).replace("source_catch-right", "source-catch") : handle.id;
}

function NodeCardView({ id, data, selected }: NodeProps<CardNode>) {
  const label = useContext(RefLabelContext);
  const { raw, extra, status } = data;
  const handles = useMemo(() => nodeHandles(raw, extra), [raw, extra]);
  const inputs = NO_EDITABLE_INPUTS.has(raw.flowNodeType) ? [] : inputsOf(raw).filter((input) => !HIDDEN_IN_CARD.has(renderTypeOf(input)));
  const outputs = readableOutputs(raw);
  const mainTarget = handles.targets.find((h) => h.side === "left");
  const mainSource = handles.sources.find((h) => h.side === "right" && !h.label);
  const branches = handles.sources.filter((h) => h.side === "right" && h.label);
  const others = [...handles.targets.filter((h) => h !== mainTarget), ...handles.sources.filter((h) => h.side !== "right")];

  return (
    <div className={`editor-node${selected ? " selected" : ""}${status ? ` status-${status}` : ""}`}>
      {others.map((handle) => (
        <Handle
          key={handle.id}
          id={handle.id}
          type={handles.targets.includes(handle) ? "target" : "source"}
          position={SIDES[handle.side]}
          data-testid={testIdOf(id, handle)}
        />
      ))}
      <div className="editor-node-header">
        {mainTarget ? (
          <Handle id={mainTarget.id} type="target" position={Position.Left} data-testid={testIdOf(id, mainTarget)} />
        ) : null}
        <span className="editor-node-name">{raw.name}</span>
        <span className="editor-node-type">{typeText(raw.flowNodeType)}</span>
        {status ? <span className={`editor-node-status ${status}`}>{STATUS_TEXT[status]}</span> : null}
        {mainSource ? (
          <Handle id={mainSource.id} type="source" position={Position.Right} data-testid={testIdOf(id, mainSource)} />
        ) : null}
      </div>
      {inputs.length ? (
        <ul className="editor-node-io" aria-label="Inputs">
          {inputs.map((input) => {
            const summary = valueSummary(input.value, label);
            return (
              <li key={input.key}>
                {input.renderTypeList?.includes("reference") ? (
                  <Handle
                    id={inputHandleId(id, input.key)}
                    type="target"
                    position={Position.Left}
                    className="editor-io-handle"
                    data-testid={`input-${input.key}`}
                  />
                ) : null}
                <span className="editor-io-label">
                  {labelText(input.label, input.key)}
                  {input.required ? <span className="editor-required">*</span> : null}
                </span>
                {summary ? <span className="editor-io-value">{summary}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {outputs.length ? (
        <ul className="editor-node-io outputs" aria-label="Outputs">
          {outputs.map((output) => (
            <li key={outputRefId(output)}>
              <span className="editor-io-label">{labelText(output.label, output.key)}</span>
              <Handle
                id={outputHandleId(id, outputRefId(output))}
                type="source"
                position={Position.Right}
                className="editor-io-handle"
                data-testid={`output-${outputRefId(output)}`}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {branches.length ? (
        <ul className="editor-node-io outputs branches" aria-label="Branches">
          {branches.map((branch) => (
            <li key={branch.id}>
              <span className="editor-io-label">{branch.label}</span>
              <Handle id={branch.id} type="source" position={Position.Right} data-testid={testIdOf(id, branch)} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export const NodeCard = memo(NodeCardView);
