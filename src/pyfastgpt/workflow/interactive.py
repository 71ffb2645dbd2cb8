"""Interactive pause/resume helpers (`getLastInteractiveValue`, `extractDeepestInteractive`)."""

from __future__ import annotations

from typing import Any

WRAPPER_TYPES = ("childrenInteractive", "loopInteractive", "loopRunInteractive", "toolChildrenInteractive")
_INTERNAL_KEYS = ("entryNodeIds", "memoryEdges", "nodeOutputs", "usageId")


def deepest_interactive(interactive: dict[str, Any]) -> dict[str, Any]:
    current = interactive
    for _ in range(100):
        child = (current.get("params") or {}).get("childrenResponse")
        if current.get("type") in WRAPPER_TYPES and isinstance(child, dict):
            current = child
        else:
            break
    return current


def public_interactive(interactive: dict[str, Any]) -> dict[str, Any]:
    """The `{type, params}` form clients see (deepest interaction, internal state stripped)."""
    deepest = deepest_interactive(interactive)
    return {key: value for key, value in deepest.items() if key not in _INTERNAL_KEYS}


def last_interactive_value(histories: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The pending interactive of the last AI item, if it still waits for the user."""
    last_ai = next((item for item in reversed(histories) if item.get("obj") == "AI"), None)
    if last_ai is None:
        return None
    value = last_ai.get("value") or []
    if not value:
        return None
    part = value[-1]
    interactive = part.get("interactive") if part.get("type") == "interactive" else None
    if not isinstance(interactive, dict):
        return None
    kind = interactive.get("type")
    params = interactive.get("params") or {}
    if kind in WRAPPER_TYPES:
        return interactive
    if kind == "userSelect" and not params.get("userSelectedVal"):
        return interactive
    if kind == "userInput" and not params.get("submitted"):
        return interactive
    return None
