"""One reading of the text of a chat value, an OpenAI content list or a string."""

from __future__ import annotations

from pyfastgpt.core.chat_text import value_text


def test_text_parts_of_a_chat_value_are_joined_and_other_parts_skipped() -> None:
    value = [
        {"type": "reasoning", "reasoning": {"content": "hidden"}},
        {"type": "text", "text": {"content": "first"}},
        {"type": "file", "file": {"type": "image", "url": "https://x/y.png"}},
        {"text": {"content": "second"}},  # FastGPT's older parts carry no type
    ]
    assert value_text(value) == "first\nsecond"
    assert value_text(value, "") == "firstsecond"


def test_openai_content_lists_and_plain_strings_read_the_same_way() -> None:
    assert value_text([{"type": "text", "text": "a"}, {"type": "image_url", "image_url": {"url": "u"}}]) == "a"
    assert value_text("plain") == "plain"
    assert value_text(None) == ""
    assert value_text([None, 3, {"type": "text", "text": None}]) == ""
