"""The demo app created on first start: a simple chat app in FastGPT's stored format."""

from __future__ import annotations

from typing import Any

DEMO_SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly and accurately."


def demo_workflow(model: str) -> dict[str, Any]:
    """workflowStart → chatNode, as FastGPT's simple-app editor stores it (§5.7)."""
    nodes: list[dict[str, Any]] = [
        {
            "nodeId": "userGuide",
            "name": "System Configuration",
            "intro": "",
            "flowNodeType": "userGuide",
            "position": {"x": 262, "y": -476},
            "version": "481",
            "inputs": [],
            "outputs": [],
        },
        {
            "nodeId": "workflowStartNodeId",
            "name": "Process Start",
            "intro": "",
            "avatar": "core/workflow/template/workflowStart",
            "flowNodeType": "workflowStart",
            "position": {"x": 632, "y": -347},
            "version": "481",
            "inputs": [
                {
                    "key": "userChatInput",
                    "renderTypeList": ["reference", "textarea"],
                    "valueType": "string",
                    "label": "workflow:user_question",
                    "required": True,
                    "toolDescription": "workflow:user_question",
                }
            ],
            "outputs": [
                {
                    "id": "userChatInput",
                    "key": "userChatInput",
                    "label": "common:core.module.input.label.user question",
                    "type": "static",
                    "valueType": "string",
                },
                {
                    "id": "userFiles",
                    "key": "userFiles",
                    "label": "app:workflow.user_file_input",
                    "type": "static",
                    "valueType": "arrayString",
                },
            ],
        },
        {
            "nodeId": "7BdojPlukIQw",
            "name": "AI Chat",
            "intro": "AI large model chat",
            "avatar": "core/workflow/template/aiChat",
            "flowNodeType": "chatNode",
            "showStatus": True,
            "position": {"x": 1106, "y": -462},
            "version": "4.9.7",
            "inputs": [
                {
                    "key": "model",
                    "renderTypeList": ["settingLLMModel", "reference"],
                    "label": "",
                    "valueType": "string",
                    "value": model,
                },
                {"key": "temperature", "renderTypeList": ["hidden"], "label": "", "value": 0, "valueType": "number"},
                {"key": "maxToken", "renderTypeList": ["hidden"], "label": "", "value": 512, "valueType": "number"},
                {
                    "key": "isResponseAnswerText",
                    "renderTypeList": ["hidden"],
                    "label": "",
                    "value": True,
                    "valueType": "boolean",
                },
                {
                    "key": "aiChatQuoteRole",
                    "renderTypeList": ["hidden"],
                    "label": "",
                    "valueType": "string",
                    "value": "system",
                },
                {"key": "quoteTemplate", "renderTypeList": ["hidden"], "label": "", "valueType": "string"},
                {"key": "quotePrompt", "renderTypeList": ["hidden"], "label": "", "valueType": "string"},
                {
                    "key": "systemPrompt",
                    "renderTypeList": ["textarea", "reference"],
                    "max": 3000,
                    "valueType": "string",
                    "label": "core.ai.Prompt",
                    "value": DEMO_SYSTEM_PROMPT,
                },
                {
                    "key": "history",
                    "renderTypeList": ["numberInput", "reference"],
                    "valueType": "chatHistory",
                    "label": "core.module.input.label.chat history",
                    "required": True,
                    "min": 0,
                    "max": 50,
                    "value": 6,
                },
                {
                    "key": "quoteQA",
                    "renderTypeList": ["settingDatasetQuotePrompt"],
                    "label": "",
                    "debugLabel": "Knowledge base reference",
                    "description": "",
                    "valueType": "datasetQuote",
                },
                {
                    "key": "fileUrlList",
                    "renderTypeList": ["reference", "input"],
                    "label": "app:workflow.user_file_input",
                    "valueType": "arrayString",
                    "value": [["workflowStartNodeId", "userFiles"]],
                },
                {
                    "key": "userChatInput",
                    "renderTypeList": ["reference", "textarea"],
                    "valueType": "string",
                    "label": "User question",
                    "required": True,
                    "toolDescription": "User question",
                    "value": ["workflowStartNodeId", "userChatInput"],
                },
            ],
            "outputs": [
                {
                    "id": "history",
                    "key": "history",
                    "required": True,
                    "label": "common:core.module.output.label.New context",
                    "valueType": "chatHistory",
                    "type": "static",
                },
                {
                    "id": "answerText",
                    "key": "answerText",
                    "required": True,
                    "label": "common:core.module.output.label.Ai response content",
                    "valueType": "string",
                    "type": "static",
                },
                {
                    "id": "reasoningText",
                    "key": "reasoningText",
                    "required": False,
                    "label": "workflow:reasoning_text",
                    "valueType": "string",
                    "type": "static",
                    "invalid": True,
                },
            ],
        },
    ]
    edges = [
        {
            "source": "workflowStartNodeId",
            "target": "7BdojPlukIQw",
            "sourceHandle": "workflowStartNodeId-source-right",
            "targetHandle": "7BdojPlukIQw-target-left",
        }
    ]
    chat_config: dict[str, Any] = {
        "welcomeText": "Hello! I am the pyfastgpt demo app. Ask me anything.",
        "variables": [],
        "questionGuide": {"open": False},
        "fileSelectConfig": {"canSelectFile": False, "canSelectImg": False, "maxFiles": 10},
    }
    return {"nodes": nodes, "edges": edges, "chatConfig": chat_config}
