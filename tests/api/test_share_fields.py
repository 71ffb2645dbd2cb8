"""Share-link credentials: flat (4.11), in `outLinkAuthData` (4.16), or its JSON text."""

from __future__ import annotations

from pyfastgpt.api.share_fields import share_fields


def test_flat_nested_and_json_text_forms() -> None:
    assert share_fields({"shareId": "s1", "outLinkUid": "u1"}) == ("s1", "u1")
    assert share_fields({"outLinkAuthData": {"shareId": "s2", "outLinkUid": "u2"}}) == ("s2", "u2")
    assert share_fields({"outLinkAuthData": '{"shareId": "s3", "outLinkUid": 7}'}) == ("s3", "7")
    assert share_fields({"shareId": "flat", "outLinkAuthData": {"shareId": "nested", "outLinkUid": "u"}}) == (
        "flat",
        "u",
    )


def test_missing_or_malformed_is_none() -> None:
    assert share_fields({}) == (None, None)
    assert share_fields({"outLinkAuthData": "{not json"}) == (None, None)
    assert share_fields({"outLinkAuthData": ["shareId"], "shareId": ""}) == (None, None)
