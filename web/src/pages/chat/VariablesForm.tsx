import { coerce, type VariableDef } from "./variables";

/** The app's variables (chatConfig.variables), sent with every question of the chat. */
export function VariablesForm({
  defs,
  values,
  onChange,
}: {
  defs: VariableDef[];
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
}) {
  if (defs.length === 0) return null;
  const set = (key: string, value: unknown) => onChange({ ...values, [key]: value });
  return (
    <details className="chat-variables card" open>
      <summary>Variables</summary>
      <div className="chat-variables-grid">
        {defs.map((def) => {
          const label = `${def.label}${def.required ? " *" : ""}`;
          const value = values[def.key];
          let control;
          if (def.type === "textarea") {
            control = (
              <textarea aria-label={def.label} rows={2} value={String(value ?? "")} onChange={(e) => set(def.key, e.target.value)} />
            );
          } else if (def.type === "select") {
            control = (
              <select aria-label={def.label} value={String(value ?? "")} onChange={(e) => set(def.key, e.target.value)}>
                <option value="">—</option>
                {def.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            );
          } else if (def.type === "multipleSelect") {
            const chosen = Array.isArray(value) ? value.map(String) : [];
            control = (
              <select
                aria-label={def.label}
                multiple
                value={chosen}
                onChange={(e) => set(def.key, Array.from(e.target.selectedOptions, (o) => o.value))}
              >
                {def.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            );
          } else if (def.type === "switch") {
            control = (
              <input type="checkbox" aria-label={def.label} checked={value === true} onChange={(e) => set(def.key, e.target.checked)} />
            );
          } else {
            control = (
              <input
                aria-label={def.label}
                type={def.type === "numberInput" ? "number" : "text"}
                value={String(value ?? "")}
                onChange={(e) => set(def.key, coerce(def, e.target.value))}
              />
            );
          }
          return (
            <div key={def.key} className="chat-form-field" title={def.description}>
              <span>{label}</span>
              {control}
            </div>
          );
        })}
      </div>
    </details>
  );
}
