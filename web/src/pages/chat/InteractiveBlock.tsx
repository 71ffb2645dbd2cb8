import { useState, type FormEvent } from "react";
import { Markdown } from "./Markdown";
import { isAnswered, type FormField, type Interactive } from "./messageModel";

/**
 * A paused workflow asking the user: userSelect (option buttons) or a form (userInput).
 * `onAnswer` is given the chosen option's value, or the form values as JSON (FastGPT's resume payload).
 */
export function InteractiveBlock({
  interactive,
  active,
  onAnswer,
}: {
  interactive: Interactive;
  active: boolean;
  onAnswer: (value: string) => void;
}) {
  const params = interactive.params ?? {};
  const done = isAnswered(interactive);
  return (
    <div className="chat-interactive">
      {params.description ? <Markdown text={String(params.description)} /> : null}
      {interactive.type === "userSelect" ? (
        <div className="chat-options" role="group" aria-label="Options">
          {(params.userSelectOptions ?? []).map((option) => (
            <button
              key={option.key || option.value}
              type="button"
              className={params.userSelectedVal === option.value ? "chat-option chosen" : "chat-option"}
              aria-pressed={params.userSelectedVal === option.value}
              disabled={!active || done}
              onClick={() => onAnswer(option.value)}
            >
              {option.value}
            </button>
          ))}
        </div>
      ) : (
        <InputForm fields={params.inputForm ?? []} disabled={!active || done} onSubmit={onAnswer} />
      )}
    </div>
  );
}

function startValue(field: FormField): unknown {
  if (field.value !== undefined && field.value !== "") return field.value;
  if (field.defaultValue !== undefined) return field.defaultValue;
  return field.type === "switch" ? false : "";
}

function InputForm({
  fields,
  disabled,
  onSubmit,
}: {
  fields: FormField[];
  disabled: boolean;
  onSubmit: (json: string) => void;
}) {
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(fields.map((field) => [field.key, startValue(field)])),
  );
  const [missing, setMissing] = useState<string[]>([]);
  const set = (key: string, value: unknown) => setValues((old) => ({ ...old, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const empty = fields.filter((f) => f.required && (values[f.key] === "" || values[f.key] === undefined));
    setMissing(empty.map((f) => f.label || f.key));
    if (empty.length) return;
    const payload: Record<string, unknown> = {};
    for (const field of fields) {
      const value = values[field.key];
      payload[field.key] =
        (field.type === "numberInput" || field.valueType === "number") && value !== "" ? Number(value) : value;
    }
    onSubmit(JSON.stringify(payload));
  }

  return (
    <form className="chat-form" onSubmit={submit} aria-label="Form">
      {fields.map((field) => {
        const label = field.label || field.key;
        const value = values[field.key];
        let control;
        if (field.type === "textarea") {
          control = (
            <textarea
              aria-label={label}
              rows={3}
              value={String(value ?? "")}
              disabled={disabled}
              onChange={(e) => set(field.key, e.target.value)}
            />
          );
        } else if (field.type === "select") {
          control = (
            <select
              aria-label={label}
              value={String(value ?? "")}
              disabled={disabled}
              onChange={(e) => set(field.key, e.target.value)}
            >
              <option value="">—</option>
              {(field.list ?? []).map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label || option.value}
                </option>
              ))}
            </select>
          );
        } else if (field.type === "switch") {
          control = (
            <input
              type="checkbox"
              aria-label={label}
              checked={value === true}
              disabled={disabled}
              onChange={(e) => set(field.key, e.target.checked)}
            />
          );
        } else {
          control = (
            <input
              aria-label={label}
              type={field.type === "numberInput" ? "number" : "text"}
              value={String(value ?? "")}
              disabled={disabled}
              onChange={(e) => set(field.key, e.target.value)}
            />
          );
        }
        return (
          <div key={field.key} className="chat-form-field">
            <span>
              {label}
              {field.required ? <span className="chat-required"> *</span> : null}
            </span>
            {control}
            {field.description ? <span className="muted">{field.description}</span> : null}
          </div>
        );
      })}
      {missing.length ? (
        <p className="error" role="alert">
          Required: {missing.join(", ")}
        </p>
      ) : null}
      <button type="submit" disabled={disabled}>
        Submit
      </button>
    </form>
  );
}
