"""Upload helpers: opening inputs and reporting progress while httpx encodes a multipart body."""

from __future__ import annotations

import io
from pathlib import Path

import httpx

from fastgpt_client._files import ProgressReader, open_upload


def test_open_upload_inputs(tmp_path: Path) -> None:
    file = tmp_path / "notes.md"
    file.write_bytes(b"# hi\n")
    from_path = open_upload(file)
    assert (from_path.filename, from_path.content_type, from_path.size) == ("notes.md", "text/markdown", 5)
    from_path.close()
    assert from_path.stream.closed
    from_bytes = open_upload(b"abc", "a.txt")
    assert (from_bytes.filename, from_bytes.content_type, from_bytes.size) == ("a.txt", "text/plain", 3)
    stream = io.BytesIO(b"xxhello")
    stream.seek(2)
    from_stream = open_upload(stream, "s.bin")
    assert from_stream.size == 5 and from_stream.content_type == "application/octet-stream"
    from_stream.close()
    assert not stream.closed


def test_progress_reaches_total_through_a_real_multipart_encoding() -> None:
    payload = bytes(range(256)) * 1024  # 256 KiB: several 64 KiB reads
    calls: list[tuple[int, int]] = []
    reader = ProgressReader(io.BytesIO(payload), len(payload), lambda sent, total: calls.append((sent, total)))
    request = httpx.Request(
        "POST", "http://127.0.0.1/upload", files={"file": ("big.bin", reader, "application/octet-stream")},
        data={"data": "{}"},
    )  # fmt: skip
    body = request.read()
    assert payload in body
    assert calls[-1] == (len(payload), len(payload))
    assert [sent for sent, _ in calls] == sorted(sent for sent, _ in calls) and len(calls) >= 4
    calls.clear()
    again = httpx.Request("POST", "http://127.0.0.1/upload", files={"file": ("big.bin", reader, "x/y")})
    body_again = again.read()  # encoding again (as a retry does) seeks the reader back to 0
    assert payload in body_again and calls[0][0] <= 64 * 1024 and calls[-1][0] == len(payload)
