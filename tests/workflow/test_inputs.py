"""Typed node inputs: FastGPT wire keys, destructuring defaults and `||` defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from pyfastgpt.workflow.inputs import NodeInputs, wire


@dataclass(slots=True)
class Sample(NodeInputs):
    vision: bool = wire("aiChatVision", True)
    prompt: str = wire("systemPrompt", "", or_default=True)
    quotes: list[Any] = wire("quoteQA", factory=list)
    limit: int = wire("limit", 5000, or_default=True)


@dataclass(slots=True)
class Extended(Sample):
    model: str | None = wire("model")


def test_missing_keys_take_their_defaults_and_present_ones_are_kept() -> None:
    inputs = Sample.from_params({"aiChatVision": False, "systemPrompt": "be brief", "quoteQA": [{"q": "x"}]})
    assert inputs == Sample(vision=False, prompt="be brief", quotes=[{"q": "x"}], limit=5000)


def test_a_null_is_kept_unless_the_field_defaults_on_falsy_values() -> None:
    inputs = Sample.from_params({"aiChatVision": None, "systemPrompt": None, "limit": 0})
    assert inputs.vision is None  # JavaScript destructuring keeps null
    assert inputs.prompt == ""  # `systemPrompt || ""`
    assert inputs.limit == 5000  # `limit || 5000`


def test_factories_give_each_run_its_own_value() -> None:
    first, second = Sample.from_params({}), Sample.from_params({})
    first.quotes.append(1)
    assert second.quotes == []


def test_subclasses_read_their_own_and_inherited_keys() -> None:
    inputs = Extended.from_params({"model": "m", "limit": 3})
    assert (inputs.model, inputs.limit, inputs.vision) == ("m", 3, True)
    assert Sample.from_params({"model": "m"}) == Sample()


def test_a_field_without_a_wire_key_is_refused() -> None:
    @dataclass(slots=True)
    class Broken(NodeInputs):
        plain: int = 1

    with pytest.raises(TypeError, match="wire"):
        Broken.from_params({})
