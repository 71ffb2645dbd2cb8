"""FastGPT's value coercions (`valueTypeFormat`, `formatVariableValByType`, `valToStr`).

JavaScript semantics are kept where they show through: `String(true)` is ``"true"``,
``JSON.stringify`` has no spaces, numbers that are whole print without ``.0``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pyfastgpt.core.json5 import parse_json5

VARIABLE_NODE_ID = "VARIABLE_NODE_ID"


def js_json(value: Any, indent: int | None = None) -> str:
    """`JSON.stringify` (compact unless `indent`), keeping non-ASCII text as is."""
    if indent is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


def js_str(value: Any) -> str:
    """`String(value)` for primitives."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, (dict, list)):
        return js_json(value)
    return str(value)


def val_to_str(value: Any) -> str:
    """`valToStr`: undefined → '', null → 'null', objects → JSON, else String()."""
    if value is _MISSING:
        return ""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return js_json(value)
    return js_str(value)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()


def _is_object_string(value: Any) -> bool:
    if isinstance(value, str) and value not in ("false", "true"):
        trimmed = value.strip()
        return (trimmed.startswith("{") and trimmed.endswith("}")) or (
            trimmed.startswith("[") and trimmed.endswith("]")
        )
    return False


def _try_json5(value: str) -> tuple[bool, Any]:
    try:
        return True, parse_json5(value.strip())
    except Exception:
        return False, None


def js_number(value: Any) -> float | int | None:
    """`Number(value)`; NaN is returned as float('nan')."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, (int, float)):
        return value
    if value is None:
        return 0
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        try:
            number = float(text)
        except ValueError:
            try:
                return int(text, 0)
            except ValueError:
                return math.nan
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    if isinstance(value, list):
        if not value:
            return 0
        if len(value) == 1:
            return js_number(value[0])
    return math.nan


def value_type_format(value: Any, value_type: str | None) -> Any:
    """`valueTypeFormat`: coerce an input/output value to its declared value type."""
    if value is None:
        return value
    if not value_type or value_type == "any":
        return value
    is_array_type = value_type.startswith("array")
    if (
        (value_type == "string" and isinstance(value, str))
        or (value_type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool))
        or (value_type == "boolean" and isinstance(value, bool))
        or (is_array_type and isinstance(value, list))
        or (value_type == "object" and isinstance(value, (dict, list)))
        or (value_type == "chatHistory" and (isinstance(value, list) or _is_num(value)))
        or (value_type in ("datasetQuote", "selectDataset") and isinstance(value, list))
        or (value_type == "selectApp" and isinstance(value, (dict, list)))
    ):
        return value
    if value_type == "string":
        return js_json(value) if isinstance(value, (dict, list)) else js_str(value)
    if value_type == "number":
        if value == "":
            return None
        return js_number(value)
    if value_type == "boolean":
        if isinstance(value, str):
            return value.lower() == "true"
        return bool(value)
    if value_type == "object":
        if _is_object_string(value):
            ok, parsed = _try_json5(value)
            if ok:
                return parsed
        return {}
    if is_array_type:
        if _is_object_string(value):
            ok, parsed = _try_json5(value)
            if ok:
                return parsed
        return [value]
    if value_type in ("datasetQuote", "selectDataset", "selectApp", "chatHistory"):
        if _is_object_string(value):
            ok, parsed = _try_json5(value)
            if ok:
                return parsed
        return []
    return value


def _is_num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_variable_by_type(value: Any, value_type: str | None) -> Any:
    """`formatVariableValByType` (used when a node output is inserted into text)."""
    if not value_type:
        return value
    if value is None:
        return None
    if value_type.startswith("array") and not isinstance(value, list):
        return None
    if value_type == "boolean":
        return bool(value)
    if value_type == "number":
        return js_number(value)
    if value_type == "string":
        return js_json(value) if isinstance(value, (dict, list)) else js_str(value)
    if value_type in ("object", "datasetQuote", "selectApp", "selectDataset") and not isinstance(value, (dict, list)):
        return None
    return value


def is_reference(value: Any) -> bool:
    """`isValidReferenceValueFormat`: a two-item list whose first item is a string."""
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)


def js_truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True
