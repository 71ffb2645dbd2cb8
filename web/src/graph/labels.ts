// FastGPT stores labels as i18n keys ("common:core.module.input.label.aiModel"); the editor shows English.
const KNOWN: Record<string, string> = {
  "core.module.input.label.aiModel": "AI model",
  "core.ai.Prompt": "Prompt",
  "core.module.input.label.chat history": "Chat history",
  "core.module.input.label.user question": "User question",
  "user_question": "User question",
  "core.module.input.label.Response content": "Response content",
  "core.module.output.label.Ai response content": "AI response",
  "core.module.output.label.New context": "New context",
  "core.module.Dataset quote.label": "Dataset quote",
  "core.module.input.label.Select dataset": "Datasets",
  "core.module.input.label.Background": "Background",
  "knowledge_base_reference": "Dataset quote",
  "workflow.user_file_input": "Files",
  "reasoning_text": "Reasoning",
  "classification_result": "Classification result",
  "full_field_extraction": "All fields extracted",
  "complete_extraction_result": "Extraction result",
  "extraction_requirements_description": "Extraction requirements",
  "text_to_extract": "Text to extract",
  "concatenation_text": "Text",
  "concatenation_result": "Text",
  "workflow.select_description": "Description",
  "workflow.select_result": "Selected option",
  "workflow.form_input_result": "Form result",
  "full_response_data": "Full response",
  "execution_error": "Error",
  "error_text": "Error",
  "judgment_result": "Condition result",
  "request_error": "Request error",
  "raw_response": "Raw response",
  "max_tokens": "Max tokens",
  "template.work_start": "Process Start",
  "core.module.template.work_start": "Process Start",
  "core.module.template.system_config": "System Configuration",
  "template.plugin_start": "Plugin Start",
  "core.module.template.self_output": "Plugin Output",
  "template.ai_chat": "AI Chat",
};

// Inputs FastGPT leaves unlabelled (its editor draws a custom control), named by key.
const KEY_LABELS: Record<string, string> = {
  system_httpMethod: "Method",
  system_httpReqUrl: "URL",
  system_httpHeader: "Headers",
  system_httpParams: "Query parameters",
  system_httpJsonBody: "Body",
  system_httpFormBody: "Form body",
  system_httpContentType: "Content type",
  system_httpTimeout: "Timeout (s)",
  agents: "Categories",
  userSelectOptions: "Options",
  ifElseList: "Conditions",
  extractKeys: "Fields to extract",
  code: "Code",
  codeType: "Language",
  userInputForms: "Form fields",
  updateList: "Updates",
  similarity: "Minimum similarity",
  quoteQA: "Dataset quote",
  limit: "Max tokens",
  temperature: "Temperature",
  maxToken: "Max response tokens",
  system_datasetQuoteList: "Quotes",
};

/** "common:core.module.input.label.aiModel" → "AI model"; unknown keys → their last part, readable. */
export function labelText(label: unknown, fallback = ""): string {
  const raw = typeof label === "string" ? label : "";
  if (!raw) return KEY_LABELS[fallback] ?? humanize(fallback);
  const withoutNamespace = raw.includes(":") && !raw.includes(" ") ? raw.slice(raw.indexOf(":") + 1) : raw.replace(/^[a-z]+:(?=\S)/, "");
  if (KNOWN[withoutNamespace]) return KNOWN[withoutNamespace];
  if (/^[a-z][\w]*(\.[\w ]+)+$/i.test(withoutNamespace) || /^[a-z]+(_[a-z0-9]+)+$/.test(withoutNamespace)) {
    const last = withoutNamespace.split(".").pop() ?? withoutNamespace;
    return KNOWN[last] ?? humanize(last);
  }
  return raw;
}

/** Descriptions and placeholders: plain text as it is, a known i18n key in English, an unknown key not at all. */
export function hintText(text: unknown): string {
  if (typeof text !== "string" || !text) return "";
  const translated = labelText(text);
  return translated !== text && !KNOWN[text.slice(text.indexOf(":") + 1)] && isKeyLike(text) ? "" : translated;
}

function isKeyLike(text: string): boolean {
  const bare = text.replace(/^[a-z]+:(?=\S)/i, "");
  return /^[a-z][\w]*(\.[\w ]+)+$/i.test(bare) || /^[a-z]+(_[a-z0-9]+)+$/.test(bare);
}

export function humanize(text: string): string {
  const spaced = text
    .replace(/^system_/, "")
    .replace(/_/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .trim();
  return spaced ? spaced[0].toUpperCase() + spaced.slice(1) : spaced;
}

const TYPE_NAMES: Record<string, string> = {
  workflowStart: "Start",
  userGuide: "System config",
  chatNode: "AI chat",
  datasetSearchNode: "Dataset search",
  datasetConcatNode: "Quote concat",
  answerNode: "Reply",
  classifyQuestion: "Classify",
  contentExtract: "Extract",
  httpRequest468: "HTTP",
  ifElseNode: "If / else",
  code: "Code",
  variableUpdate: "Variables",
  userSelect: "User select",
  formInput: "Form",
  textEditor: "Text",
  tools: "Tool call",
  pluginInput: "Plugin input",
  pluginOutput: "Plugin output",
  pluginModule: "Plugin",
  appModule: "App",
  loop: "Loop",
};

export function typeText(flowNodeType: string): string {
  return TYPE_NAMES[flowNodeType] ?? humanize(flowNodeType);
}
