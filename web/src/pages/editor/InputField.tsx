// One input of the selected node, drawn from its `renderTypeList` (the one `selectedTypeIndex` picks).
import { useId, useState } from "react";
import { isReference, isReferenceList, renderTypeOf } from "../../graph/document";
import { hintText, labelText } from "../../graph/labels";
import type { RefGroup } from "../../graph/references";
import type { FlowInput, Reference } from "../../graph/types";

export interface ModelOption {
  model: string;
  name: string;
}

export interface DatasetOption {
  _id: string;
  name: string;
}

export interface FieldContext {
  models: ModelOption[];
  datasets: DatasetOption[];
  references: RefGroup[];
}

export interface InputFieldProps {
  nodeId: string;
  input: FlowInput;
  context: FieldContext;
  onValue: (value: unknown) => void;
  onReference: (ref: Reference | Reference[] | undefined) => void;
  onRenderType: (index: number) => void;
}

const TYPE_NAMES: Record<string, string> = {
  input: "Text",
  textarea: "Text",
  numberInput: "Number",
  switch: "Switch",
  select: "Choice",
  selectLLMModel: "Model",
  settingLLMModel: "Model",
  selectDataset: "Datasets",
  reference: "Reference",
  JSONEditor: "JSON",
};

/** Render types the settings form can show for this input (the hidden one aside). */
function choices(input: FlowInput): Array<[number, string]> {
  return (input.renderTypeList ?? []).flatMap((type, index) => (type === "hidden" ? [] : [[index, type] as [number, string]]));
}

export function InputField({ nodeId, input, context, onValue, onReference, onRenderType }: InputFieldProps) {
  const label = labelText(input.label, input.key);
  const type = renderTypeOf(input);
  const options = choices(input);
  const current = input.renderTypeList?.indexOf(type) ?? 0;
  return (
    <div className="editor-field">
      <div className="editor-field-head">
        <span className="editor-field-label">
          {label}
          {input.required ? <span className="editor-required">*</span> : null}
        </span>
        {options.length > 1 ? (
          <select
            aria-label={`${label} source`}
            value={current}
            onChange={(event) => onRenderType(Number(event.target.value))}
          >
            {options.map(([index, name]) => (
              <option key={index} value={index}>
                {TYPE_NAMES[name] ?? name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {hintText(input.description) ? <p className="hint">{hintText(input.description)}</p> : null}
      <Control key={`${nodeId}:${input.key}:${type}`} type={type} label={label} input={input} context={context} onValue={onValue} onReference={onReference} />
    </div>
  );
}

interface ControlProps {
  type: string;
  label: string;
  input: FlowInput;
  context: FieldContext;
  onValue: (value: unknown) => void;
  onReference: (ref: Reference | Reference[] | undefined) => void;
}

function Control({ type, label, input, context, onValue, onReference }: ControlProps) {
  const value = input.value;
  switch (type) {
    case "input":
      return <input aria-label={label} value={textOf(value)} placeholder={placeholder(input)} onChange={(e) => onValue(e.target.value)} />;
    case "textarea":
      return (
        <textarea aria-label={label} rows={4} value={textOf(value)} placeholder={placeholder(input)} onChange={(e) => onValue(e.target.value)} />
      );
    case "numberInput":
    case "selectDatasetParamsModal":
      return (
        <input
          aria-label={label}
          type="number"
          min={input.min}
          max={input.max}
          step={input.step ?? "any"}
          value={typeof value === "number" ? value : ""}
          onChange={(e) => onValue(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      );
    case "switch":
      return (
        <label className="inline">
          <input type="checkbox" aria-label={label} checked={value === true} onChange={(e) => onValue(e.target.checked)} /> {label}
        </label>
      );
    case "select":
      return (
        <select aria-label={label} value={textOf(value)} onChange={(e) => onValue(e.target.value)}>
          <option value="">—</option>
          {(input.list ?? []).map((item) => (
            <option key={String(item.value)} value={String(item.value)}>
              {labelText(item.label, String(item.value))}
            </option>
          ))}
        </select>
      );
    case "selectLLMModel":
    case "settingLLMModel":
      return <ModelSelect label={label} value={value} models={context.models} onValue={onValue} />;
    case "selectDataset":
      return <DatasetPicker label={label} value={value} datasets={context.datasets} onValue={onValue} />;
    case "JSONEditor":
      // FastGPT keeps the JSON as text (it may hold {{variables}}), so it is stored as typed
      return typeof value === "string" || value === undefined ? (
        <textarea className="editor-code" aria-label={label} rows={6} value={value ?? ""} placeholder={placeholder(input)} onChange={(e) => onValue(e.target.value)} />
      ) : (
        <JsonField label={label} value={value} onValue={onValue} />
      );
    case "reference":
    case "settingDatasetQuotePrompt":
      return <ReferencePicker label={label} value={value} groups={context.references} onReference={onReference} />;
    default:
      if (typeof value === "string" && (input.key === "code" || input.valueType === "string")) {
        return <textarea className="editor-code" aria-label={label} rows={8} value={value} onChange={(e) => onValue(e.target.value)} />;
      }
      return <JsonField label={label} value={value} onValue={onValue} />;
  }
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (isReference(value)) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function placeholder(input: FlowInput): string | undefined {
  return hintText(input.placeholder) || undefined;
}

function ModelSelect({ label, value, models, onValue }: { label: string; value: unknown; models: ModelOption[]; onValue: (v: unknown) => void }) {
  const current = typeof value === "string" ? value : "";
  const known = models.some((model) => model.model === current);
  return (
    <select aria-label={label} value={current} onChange={(e) => onValue(e.target.value)}>
      {!current ? <option value="">Choose a model</option> : null}
      {current && !known ? <option value={current}>{current} (not configured)</option> : null}
      {models.map((model) => (
        <option key={model.model} value={model.model}>
          {model.name || model.model}
        </option>
      ))}
    </select>
  );
}

function DatasetPicker({ label, value, datasets, onValue }: { label: string; value: unknown; datasets: DatasetOption[]; onValue: (v: unknown) => void }) {
  const selected = new Set(
    (Array.isArray(value) ? value : []).map((item) => String((item as { datasetId?: unknown })?.datasetId ?? "")),
  );
  if (!datasets.length) return <p className="muted">No knowledge bases yet.</p>;
  return (
    <fieldset className="editor-datasets" aria-label={label}>
      {datasets.map((dataset) => (
        <label key={dataset._id} className="inline">
          <input
            type="checkbox"
            checked={selected.has(dataset._id)}
            onChange={(e) => {
              const list = (Array.isArray(value) ? value : []).filter(
                (item) => (item as { datasetId?: unknown })?.datasetId !== dataset._id,
              );
              onValue(e.target.checked ? [...list, { datasetId: dataset._id }] : list);
            }}
          />{" "}
          {dataset.name}
        </label>
      ))}
    </fieldset>
  );
}

const encode = (ref: Reference) => JSON.stringify(ref);

/** The outputs of upstream nodes (and chat variables) this input can read. */
export function ReferencePicker({
  label,
  value,
  groups,
  onReference,
}: {
  label: string;
  value: unknown;
  groups: RefGroup[];
  onReference: (ref: Reference | Reference[] | undefined) => void;
}) {
  const multiple = isReferenceList(value);
  const known = new Set(groups.flatMap((group) => group.options.map((option) => encode(option.ref))));
  const selected = multiple ? value.map(encode) : isReference(value) && value[0] ? [encode(value)] : [];
  const unknown = selected.filter((item) => !known.has(item));
  const optionList = (
    <>
      {unknown.map((item) => (
        <option key={item} value={item}>
          {(JSON.parse(item) as Reference).join(" › ")} (not upstream)
        </option>
      ))}
      {groups.map((group) => (
        <optgroup key={group.nodeId} label={group.nodeName}>
          {group.options.map((option) => (
            <option key={encode(option.ref)} value={encode(option.ref)}>
              {`${option.nodeName} › ${option.outputLabel}`}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
  const hint = groups.length ? null : <p className="hint">Connect this node after others to read their outputs.</p>;
  if (multiple) {
    return (
      <>
        <select
          aria-label={label}
          multiple
          value={selected}
          onChange={(e) => onReference(Array.from(e.target.selectedOptions, (option) => JSON.parse(option.value) as Reference))}
        >
          {optionList}
        </select>
        {hint}
      </>
    );
  }
  return (
    <>
      <select
        aria-label={label}
        value={selected[0] ?? ""}
        onChange={(e) => onReference(e.target.value ? (JSON.parse(e.target.value) as Reference) : undefined)}
      >
        <option value="">Choose an output</option>
        {optionList}
      </select>
      {hint}
    </>
  );
}

/** Any other value as JSON: kept while it does not parse, written back as soon as it does. */
export function JsonField({ label, value, onValue }: { label: string; value: unknown; onValue: (v: unknown) => void }) {
  const [text, setText] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 2)));
  const [bad, setBad] = useState(false);
  const errorId = useId();
  return (
    <>
      <textarea
        className="editor-code"
        aria-label={label}
        aria-invalid={bad}
        aria-describedby={bad ? errorId : undefined}
        rows={6}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) {
            setBad(false);
            onValue(undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(e.target.value);
            setBad(false);
            onValue(parsed);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? (
        <p id={errorId} className="error">
          Not valid JSON yet
        </p>
      ) : null}
    </>
  );
}
