"""JSON5 inputs (`core/json5.py`)."""

from __future__ import annotations

import math

import pytest

from pyfastgpt.core.json5 import parse_json5


def test_strict_json_and_the_json5_people_type() -> None:
    assert parse_json5('{"a": [1, 2]}') == {"a": [1, 2]}
    assert parse_json5("{名字: '张三', tags: ['a', 'b',], // note\n n: 0x10, /* c */ ok: true}") == {
        "名字": "张三",
        "tags": ["a", "b"],
        "n": 16,
        "ok": True,
    }
    assert parse_json5("{s: 'it\\'s \"quoted\"'}") == {"s": 'it\'s "quoted"'}
    assert math.isnan(parse_json5("NaN"))


@pytest.mark.parametrize("text", ["{tags:", "{a: }", "[1, 2", "{'a' 1}", "", "undefined"])
def test_malformed_text_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="invalid JSON5"):
        parse_json5(text)
