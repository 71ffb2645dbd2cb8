"""Image helpers (content parts and base64 data URLs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastgpt_client import (
    decode_data_url,
    encode_image_data_url,
    image_part_from_bytes,
    image_part_from_path,
    image_url_part,
    is_data_url,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def test_round_trip() -> None:
    url = encode_image_data_url(PNG, "image/png")
    assert url.startswith("data:image/png;base64,")
    assert decode_data_url(url) == ("image/png", PNG)


def test_is_data_url() -> None:
    assert is_data_url(encode_image_data_url(b"x"))
    assert is_data_url("data:image/webp;charset=binary;base64,AAAA")
    assert not is_data_url("https://example.com/a.png")
    assert not is_data_url("data:image/png,rawtext")
    assert not is_data_url(None)


def test_decode_rejects_invalid_payloads() -> None:
    with pytest.raises(ValueError):
        decode_data_url("https://example.com/a.png")
    with pytest.raises(ValueError):
        decode_data_url("data:image/png;base64,@@@")


def test_decode_tolerates_whitespace_and_missing_mime() -> None:
    assert decode_data_url("data:;base64,aGVs\nbG8=") == ("application/octet-stream", b"hello")


def test_parts(tmp_path: Path) -> None:
    assert image_url_part("http://x/y.png") == {"type": "image_url", "image_url": {"url": "http://x/y.png"}}
    assert image_part_from_bytes(PNG, "image/png")["image_url"]["url"] == encode_image_data_url(PNG, "image/png")
    file = tmp_path / "photo.png"
    file.write_bytes(PNG)
    assert decode_data_url(image_part_from_path(file)["image_url"]["url"]) == ("image/png", PNG)
    assert decode_data_url(image_part_from_path(file, "image/x-test")["image_url"]["url"])[0] == "image/x-test"
