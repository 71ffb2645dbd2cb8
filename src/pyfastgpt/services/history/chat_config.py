"""The chat settings `init` reports (FastGPT `getAppChatConfig`, `getChatModelNameListByModules`)."""

from __future__ import annotations

from typing import Any

from pyfastgpt.ai.protocols import ModelRegistry

DEFAULTS: dict[str, Any] = {
    "questionGuide": {"open": False},
    "ttsConfig": {"type": "web"},
    "whisperConfig": {"open": False, "autoSend": False, "autoTTSResponse": False},
    "chatInputGuide": {"open": False, "textList": [], "customUrl": ""},
    "instruction": "",
}
# systemConfig (user guide) node input key -> chatConfig key
GUIDE_KEYS = {
    "welcomeText": "welcomeText",
    "variables": "variables",
    "questionGuide": "questionGuide",
    "tts": "ttsConfig",
    "whisper": "whisperConfig",
    "chatInputGuide": "chatInputGuide",
    "instruction": "instruction",
}
LLM_NODES = frozenset({"chatNode", "tools"})


def _nodes(nodes: list[Any]) -> list[dict[str, Any]]:
    return [node for node in nodes if isinstance(node, dict)]


def _guide_values(nodes: list[Any]) -> dict[str, Any]:
    guide = next((n for n in _nodes(nodes) if n.get("flowNodeType") in ("systemConfig", "userGuide")), None)
    values: dict[str, Any] = {}
    for item in (guide or {}).get("inputs") or []:
        key = GUIDE_KEYS.get(str(item.get("key")))
        if key and item.get("value") is not None:
            values[key] = item["value"]
    if isinstance(values.get("questionGuide"), bool):
        values["questionGuide"] = {"open": values["questionGuide"]}
    return values


def app_chat_config(
    chat_config: dict[str, Any] | None,
    nodes: list[Any],
    *,
    store_variables: list[Any] | None,
    store_welcome_text: str | None,
) -> dict[str, Any]:
    """Defaults < the workflow's user-guide node < the app's chatConfig < what the chat stored."""
    config = chat_config or {}
    guide = _guide_values(nodes)
    merged: dict[str, Any] = {**DEFAULTS, **guide, **config}
    merged["variables"] = (
        store_variables if store_variables is not None else config.get("variables", guide.get("variables", []))
    )
    merged["welcomeText"] = (
        store_welcome_text
        if store_welcome_text is not None
        else config.get("welcomeText", guide.get("welcomeText", ""))
    )
    merged.pop("scheduledTriggerConfig", None)
    return merged


def chat_model_names(nodes: list[Any], registry: ModelRegistry) -> list[str]:
    """Display names of the models the app's LLM nodes use."""
    names: list[str] = []
    for node in _nodes(nodes):
        if node.get("flowNodeType") not in LLM_NODES:
            continue
        model = next((i.get("value") for i in node.get("inputs") or [] if i.get("key") == "model"), None)
        if not model:
            continue
        try:
            name = registry.info(str(model)).name or str(model)
        except Exception:  # an unknown model id is shown as it is stored
            name = str(model)
        if name not in names:
            names.append(name)
    return names


def plugin_inputs(nodes: list[Any]) -> list[Any]:
    node = next((n for n in _nodes(nodes) if n.get("flowNodeType") == "pluginInput"), None)
    return list((node or {}).get("inputs") or [])
