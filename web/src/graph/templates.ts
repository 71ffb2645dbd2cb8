// The nodes "Add node" offers, with the inputs and outputs FastGPT 4.8+ declares for them
// (packages/global/core/workflow/template/system/*). Labels stay FastGPT's i18n keys, as FastGPT stores
// them; labels.ts shows them in English.
import { newNodeId } from "./ids";
import type { FlowInput, FlowNode, FlowOutput, Position } from "./types";

export type TemplateGroup = "Start" | "AI" | "Knowledge base" | "Tools" | "Interactive" | "External";

export interface NodeTemplate {
  flowNodeType: string;
  group: TemplateGroup;
  name: string;
  intro: string;
  avatar: string;
  showStatus?: boolean;
  version: string;
  inputs: FlowInput[];
  outputs: FlowOutput[];
}

const history: FlowInput = {
  key: "history",
  renderTypeList: ["numberInput", "reference"],
  valueType: "chatHistory",
  label: "common:core.module.input.label.chat history",
  description: "workflow:max_dialog_rounds",
  required: true,
  min: 0,
  max: 50,
  value: 6,
};

const userChatInput: FlowInput = {
  key: "userChatInput",
  renderTypeList: ["reference", "textarea"],
  valueType: "string",
  label: "workflow:user_question",
  required: true,
};

const selectModel: FlowInput = {
  key: "model",
  renderTypeList: ["selectLLMModel", "reference"],
  label: "common:core.module.input.label.aiModel",
  required: true,
  valueType: "string",
};

const systemPrompt: FlowInput = {
  key: "systemPrompt",
  renderTypeList: ["textarea", "reference"],
  max: 3000,
  valueType: "string",
  label: "common:core.ai.Prompt",
  description: "common:core.app.tip.systemPromptTip",
  placeholder: "common:core.app.tip.chatNodeSystemPromptTip",
};

const dynamicInput: FlowInput = {
  key: "system_addInputParam",
  renderTypeList: ["addInputParam"],
  valueType: "dynamic",
  label: "",
  required: false,
};

const dynamicOutput: FlowOutput = {
  id: "system_addOutputParam",
  key: "system_addOutputParam",
  type: "dynamic",
  valueType: "dynamic",
  label: "",
};

const hidden = (key: string, valueType: string, value?: unknown): FlowInput =>
  value === undefined ? { key, renderTypeList: ["hidden"], label: "", valueType } : { key, renderTypeList: ["hidden"], label: "", valueType, value };

const output = (key: string, label: string, valueType: string, extra: Partial<FlowOutput> = {}): FlowOutput => ({
  id: key,
  key,
  label,
  valueType,
  type: "static",
  ...extra,
});

export const TEMPLATES: NodeTemplate[] = [
  {
    flowNodeType: "workflowStart",
    group: "Start",
    name: "Process Start",
    intro: "",
    avatar: "core/workflow/template/workflowStart",
    version: "481",
    inputs: [{ ...userChatInput, toolDescription: "workflow:user_question" }],
    outputs: [
      output("userChatInput", "common:core.module.input.label.user question", "string"),
      output("userFiles", "app:workflow.user_file_input", "arrayString", { description: "app:workflow.user_file_input_desc" }),
    ],
  },
  {
    flowNodeType: "chatNode",
    group: "AI",
    name: "AI Chat",
    intro: "AI large model chat",
    avatar: "core/workflow/template/aiChat",
    showStatus: true,
    version: "4.9.0",
    inputs: [
      { key: "model", renderTypeList: ["settingLLMModel", "reference"], label: "common:core.module.input.label.aiModel", valueType: "string" },
      hidden("temperature", "number"),
      hidden("maxToken", "number"),
      hidden("isResponseAnswerText", "boolean", true),
      hidden("aiChatQuoteRole", "string", "system"),
      hidden("quoteTemplate", "string"),
      hidden("quotePrompt", "string"),
      hidden("aiChatVision", "boolean", true),
      hidden("aiChatReasoning", "boolean", true),
      hidden("aiChatTopP", "number"),
      hidden("aiChatStopSign", "string"),
      hidden("aiChatResponseFormat", "string"),
      hidden("aiChatJsonSchema", "string"),
      systemPrompt,
      history,
      {
        key: "quoteQA",
        renderTypeList: ["settingDatasetQuotePrompt"],
        label: "",
        debugLabel: "workflow:knowledge_base_reference",
        description: "",
        valueType: "datasetQuote",
      },
      {
        key: "fileUrlList",
        renderTypeList: ["reference"],
        required: true,
        label: "app:workflow.user_file_input",
        debugLabel: "app:workflow.user_file_input",
        description: "app:workflow.user_file_input_desc",
        valueType: "arrayString",
      },
      { ...userChatInput, toolDescription: "workflow:user_question" },
    ],
    outputs: [
      output("history", "common:core.module.output.label.New context", "chatHistory", {
        required: true,
        description: "common:core.module.output.description.New context",
      }),
      output("answerText", "common:core.module.output.label.Ai response content", "string", {
        required: true,
        description: "common:core.module.output.description.Ai response content",
      }),
      output("reasoningText", "workflow:reasoning_text", "string", { required: false }),
    ],
  },
  {
    flowNodeType: "datasetSearchNode",
    group: "Knowledge base",
    name: "Dataset Search",
    intro: "Find reference content related to the question in the knowledge base",
    avatar: "core/workflow/template/datasetSearch",
    showStatus: true,
    version: "481",
    inputs: [
      {
        key: "datasets",
        renderTypeList: ["selectDataset", "reference"],
        label: "common:core.module.input.label.Select dataset",
        value: [],
        valueType: "selectDataset",
        required: true,
      },
      { key: "similarity", renderTypeList: ["selectDatasetParamsModal"], label: "", value: 0.4, valueType: "number" },
      hidden("limit", "number", 1500),
      hidden("searchMode", "string", "embedding"),
      hidden("usingReRank", "boolean", false),
      hidden("datasetSearchUsingExtensionQuery", "boolean", true),
      hidden("datasetSearchExtensionModel", "string"),
      hidden("datasetSearchExtensionBg", "string", ""),
      { ...userChatInput, toolDescription: "workflow:content_to_search" },
    ],
    outputs: [
      output("quoteQA", "common:core.module.Dataset quote.label", "datasetQuote", {
        description: "workflow:special_array_format",
      }),
    ],
  },
  {
    flowNodeType: "datasetConcatNode",
    group: "Knowledge base",
    name: "Dataset Quote Concat",
    intro: "Merge several knowledge base search results (RRF)",
    avatar: "core/workflow/template/datasetConcat",
    showStatus: false,
    version: "486",
    inputs: [
      { key: "limit", renderTypeList: ["custom"], label: "workflow:max_tokens", value: 3000, valueType: "number" },
      { key: "system_datasetQuoteList", renderTypeList: ["custom"], label: "", value: [] },
    ],
    outputs: [output("quoteQA", "common:core.module.Dataset quote.label", "datasetQuote")],
  },
  {
    flowNodeType: "answerNode",
    group: "Tools",
    name: "Specified Reply",
    intro: "Reply with a fixed or referenced text",
    avatar: "core/workflow/template/reply",
    version: "481",
    inputs: [
      {
        key: "text",
        renderTypeList: ["textarea", "reference"],
        valueType: "any",
        required: true,
        label: "common:core.module.input.label.Response content",
        description: "common:core.module.input.description.Response content",
        placeholder: "common:core.module.input.description.Response content",
      },
    ],
    outputs: [],
  },
  {
    flowNodeType: "classifyQuestion",
    group: "AI",
    name: "Question Classification",
    intro: "Route the question to one of several categories",
    avatar: "core/workflow/template/questionClassify",
    showStatus: true,
    version: "481",
    inputs: [
      { ...selectModel, llmModelType: "classify" },
      {
        ...systemPrompt,
        label: "common:core.module.input.label.Background",
        description: "common:core.module.input.description.Background",
        placeholder: "common:core.module.input.placeholder.Classify background",
      },
      history,
      userChatInput,
      {
        key: "agents",
        renderTypeList: ["custom"],
        valueType: "any",
        label: "",
        value: [
          { value: "Greeting", key: "wqre" },
          { value: "Question regarding xxx", key: "sdfa" },
          { value: "Other Questions", key: "agex" },
        ],
      },
    ],
    outputs: [output("cqResult", "workflow:classification_result", "string", { required: true })],
  },
  {
    flowNodeType: "contentExtract",
    group: "AI",
    name: "Text Content Extraction",
    intro: "Extract structured fields from a text",
    avatar: "core/workflow/template/extractJson",
    showStatus: true,
    version: "481",
    inputs: [
      { ...selectModel, llmModelType: "extractFields" },
      {
        key: "description",
        renderTypeList: ["textarea", "reference"],
        valueType: "string",
        label: "workflow:extraction_requirements_description",
        description: "workflow:extraction_requirements_description_detail",
        placeholder: "workflow:extraction_requirements_placeholder",
      },
      history,
      {
        key: "content",
        renderTypeList: ["reference", "textarea"],
        label: "workflow:text_to_extract",
        required: true,
        valueType: "string",
        toolDescription: "workflow:content_to_retrieve",
      },
      {
        key: "extractKeys",
        renderTypeList: ["custom"],
        label: "",
        valueType: "any",
        description: "workflow:target_fields_description",
        value: [],
      },
    ],
    outputs: [
      output("success", "workflow:full_field_extraction", "boolean", { required: true }),
      output("fields", "workflow:complete_extraction_result", "string", { required: true }),
    ],
  },
  {
    flowNodeType: "httpRequest468",
    group: "External",
    name: "HTTP Request",
    intro: "Send an HTTP request",
    avatar: "core/workflow/template/httpRequest",
    showStatus: true,
    version: "481",
    inputs: [
      { ...dynamicInput, description: "common:core.module.input.description.HTTP Dynamic Input" },
      { key: "system_httpMethod", renderTypeList: ["custom"], valueType: "string", label: "", value: "POST", required: true },
      { key: "system_httpTimeout", renderTypeList: ["custom"], valueType: "number", label: "", value: 30, min: 5, max: 600, required: true },
      {
        key: "system_httpReqUrl",
        renderTypeList: ["hidden"],
        valueType: "string",
        label: "",
        description: "common:core.module.input.description.Http Request Url",
        placeholder: "https://api.ai.com/getInventory",
        required: false,
      },
      { key: "system_httpHeader", renderTypeList: ["custom"], valueType: "any", value: [], label: "", required: false },
      { key: "system_httpParams", renderTypeList: ["hidden"], valueType: "any", value: [], label: "", required: false },
      { key: "system_httpJsonBody", renderTypeList: ["hidden"], valueType: "any", value: "", label: "", required: false },
      { key: "system_httpFormBody", renderTypeList: ["hidden"], valueType: "any", value: [], label: "", required: false },
      { key: "system_httpContentType", renderTypeList: ["hidden"], valueType: "string", value: "json", label: "", required: false },
    ],
    outputs: [
      dynamicOutput,
      output("error", "workflow:request_error", "object"),
      output("httpRawResponse", "workflow:raw_response", "any", { required: true }),
    ],
  },
  {
    flowNodeType: "ifElseNode",
    group: "Tools",
    name: "Condition",
    intro: "Run different branches depending on conditions",
    avatar: "core/workflow/template/ifelse",
    showStatus: true,
    version: "481",
    inputs: [
      {
        key: "ifElseList",
        renderTypeList: ["hidden"],
        valueType: "any",
        label: "",
        value: [{ condition: "AND", list: [{ variable: undefined, condition: undefined, value: undefined }] }],
      },
    ],
    outputs: [output("ifElseResult", "workflow:judgment_result", "string")],
  },
  {
    flowNodeType: "code",
    group: "Tools",
    name: "Code Run",
    intro: "Run a script in the sandbox",
    avatar: "core/workflow/template/codeRun",
    showStatus: true,
    version: "482",
    inputs: [
      { ...dynamicInput, description: "workflow:these_variables_will_be_input_parameters_for_code_execution" },
      { key: "codeType", renderTypeList: ["hidden"], label: "", value: "js" },
      {
        key: "code",
        renderTypeList: ["custom"],
        label: "",
        value: "function main({data1, data2}){\n    \n    return {\n        result: data1,\n        data2\n    }\n}",
      },
      { renderTypeList: ["reference"], valueType: "string", canEdit: true, key: "data1", label: "data1", required: true },
      { renderTypeList: ["reference"], valueType: "string", canEdit: true, key: "data2", label: "data2", required: true },
    ],
    outputs: [
      dynamicOutput,
      output("system_rawResponse", "workflow:full_response_data", "object"),
      output("error", "workflow:execution_error", "object", { description: "workflow:error_info_returns_empty_on_success" }),
      { id: "qLUQfhG0ILRX", type: "dynamic", key: "result", valueType: "string", label: "result" },
      { id: "gR0mkQpJ4Og8", type: "dynamic", key: "data2", valueType: "string", label: "data2" },
    ],
  },
  {
    flowNodeType: "variableUpdate",
    group: "Tools",
    name: "Variable Update",
    intro: "Update a global variable or a node output",
    avatar: "core/workflow/template/variableUpdate",
    showStatus: false,
    version: "481",
    inputs: [
      {
        key: "updateList",
        valueType: "any",
        label: "",
        renderTypeList: ["hidden"],
        editField: { key: true, valueType: true },
        value: [{ variable: ["", ""], value: ["", ""], valueType: "string", renderType: "input" }],
      },
    ],
    outputs: [],
  },
  {
    flowNodeType: "textEditor",
    group: "Tools",
    name: "Text Concatenation",
    intro: "Build a text from fixed text and variables",
    avatar: "core/workflow/template/textConcat",
    version: "4813",
    inputs: [
      { ...dynamicInput, description: "workflow:dynamic_input_description_concat" },
      {
        key: "system_textareaInput",
        renderTypeList: ["textarea"],
        valueType: "string",
        required: true,
        label: "workflow:concatenation_text",
        placeholder: "workflow:input_variable_list",
      },
    ],
    outputs: [output("system_text", "workflow:concatenation_result", "string")],
  },
  {
    flowNodeType: "userSelect",
    group: "Interactive",
    name: "User Select",
    intro: "Pause and let the user pick an option",
    avatar: "core/workflow/template/userSelect",
    showStatus: true,
    version: "489",
    inputs: [
      {
        key: "description",
        renderTypeList: ["textarea"],
        valueType: "string",
        label: "app:workflow.select_description",
        description: "app:workflow.select_description_tip",
        placeholder: "app:workflow.select_description_placeholder",
      },
      {
        key: "userSelectOptions",
        renderTypeList: ["custom"],
        valueType: "any",
        label: "",
        value: [
          { value: "Confirm", key: "option1" },
          { value: "Cancel", key: "option2" },
        ],
      },
    ],
    outputs: [output("selectResult", "app:workflow.select_result", "string", { required: true })],
  },
  {
    flowNodeType: "formInput",
    group: "Interactive",
    name: "Form Input",
    intro: "Pause and ask the user to fill a form",
    avatar: "core/workflow/template/formInput",
    showStatus: true,
    version: "4811",
    inputs: [
      {
        key: "description",
        renderTypeList: ["textarea"],
        valueType: "string",
        label: "app:workflow.select_description",
        description: "app:workflow.input_description_tip",
        placeholder: "app:workflow.form_input_description_placeholder",
      },
      { key: "userInputForms", renderTypeList: ["custom"], valueType: "any", label: "", value: [] },
    ],
    outputs: [
      output("formInputResult", "app:workflow.form_input_result", "object", {
        required: true,
        description: "app:workflow.form_input_result_tip",
      }),
    ],
  },
];

export function templateOf(flowNodeType: string): NodeTemplate | undefined {
  return TEMPLATES.find((template) => template.flowNodeType === flowNodeType);
}

function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let index = 2; ; index += 1) {
    const candidate = `${name} ${index}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A stored node from a template, in FastGPT's key order, with a fresh id and a name not yet used. */
export function nodeFromTemplate(
  template: NodeTemplate,
  options: { position: Position; takenIds?: ReadonlySet<string>; takenNames?: ReadonlySet<string>; nodeId?: string },
): FlowNode {
  const copy = structuredClone({ inputs: template.inputs, outputs: template.outputs });
  const node: FlowNode = {
    nodeId: options.nodeId ?? newNodeId(options.takenIds),
    name: uniqueName(template.name, options.takenNames ?? new Set()),
    intro: template.intro,
    avatar: template.avatar,
    flowNodeType: template.flowNodeType,
    ...(template.showStatus === undefined ? {} : { showStatus: template.showStatus }),
    position: { x: options.position.x, y: options.position.y },
    version: template.version,
    inputs: copy.inputs,
    outputs: copy.outputs,
  };
  return node;
}
