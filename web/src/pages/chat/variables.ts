// The app's global variables (chatConfig.variables, FastGPT's VariableItemType): which ones a user
// fills in, their starting values, and what is still missing before a question may be sent.

export interface VariableDef {
  key: string;
  label: string;
  type: string;
  description?: string;
  required: boolean;
  valueType?: string;
  defaultValue?: unknown;
  options: Array<{ label: string; value: string }>;
}

/** Types FastGPT does not show in the chat box: external (set by the caller) and internal variables. */
const HIDDEN_TYPES = new Set(["custom", "internal", "hidden"]);

export function visibleVariables(chatConfig: Record<string, unknown> | undefined): VariableDef[] {
  const list = chatConfig?.variables;
  if (!Array.isArray(list)) return [];
  const defs: VariableDef[] = [];
  for (const raw of list as Array<Record<string, unknown>>) {
    if (!raw || typeof raw !== "object" || typeof raw.key !== "string" || !raw.key) continue;
    const type = String(raw.type ?? "input");
    if (HIDDEN_TYPES.has(type)) continue;
    const source = (Array.isArray(raw.list) ? raw.list : Array.isArray(raw.enums) ? raw.enums : []) as Array<
      Record<string, unknown>
    >;
    defs.push({
      key: raw.key,
      label: String(raw.label || raw.key),
      type,
      description: typeof raw.description === "string" && raw.description ? raw.description : undefined,
      required: raw.required === true,
      valueType: typeof raw.valueType === "string" ? raw.valueType : undefined,
      defaultValue: raw.defaultValue,
      options: source
        .filter((o) => o && o.value !== undefined)
        .map((o) => ({ label: String(o.label || o.value), value: String(o.value) })),
    });
  }
  return defs;
}

/** Starting values: what the chat stored, else each variable's default. */
export function initialValues(defs: VariableDef[], stored: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const def of defs) {
    if (stored[def.key] !== undefined) values[def.key] = stored[def.key];
    else if (def.defaultValue !== undefined && def.defaultValue !== "") values[def.key] = def.defaultValue;
    else if (def.type === "switch") values[def.key] = false;
    else if (def.type === "multipleSelect") values[def.key] = [];
  }
  return values;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Labels of the required variables without a value. */
export function missingVariables(defs: VariableDef[], values: Record<string, unknown>): string[] {
  return defs.filter((def) => def.required && isEmpty(values[def.key])).map((def) => def.label);
}

/** A form field's text → the value the workflow expects (numbers for numberInput). */
export function coerce(def: VariableDef, text: string): unknown {
  if (def.type === "numberInput" || def.valueType === "number") {
    if (text.trim() === "") return "";
    const number = Number(text);
    return Number.isFinite(number) ? number : text;
  }
  return text;
}
