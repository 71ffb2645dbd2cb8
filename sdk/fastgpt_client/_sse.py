"""An incremental Server-Sent-Events decoder (no I/O).

It follows the WHATWG rules (LF, CR or CRLF line ends; ``:`` comments; ``field: value`` with
one optional space; multi-line ``data`` joined by ``\\n``; dispatch on a blank line) and adds
two tolerances for FastGPT-style producers:

* ``event:answer`` without a space and ``data:{...}`` without a space are read the same way;
* an ``event:`` line that arrives while the previous event already holds data starts a new
  event (frames written without the blank separator are not merged), and whatever is pending
  at the end of the stream is dispatched instead of dropped.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerSentEvent:
    """One raw SSE frame. ``event`` is ``None`` for a bare ``data:`` frame."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Feed bytes (or text lines) in, get :class:`ServerSentEvent` frames out."""

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._pending_cr = False
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode a chunk of the body; return the frames completed by it."""
        return self._feed_text(self._utf8.decode(chunk))

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: dispatch whatever is still pending."""
        events = self._feed_text(self._utf8.decode(b"", final=True))
        if self._buffer:
            line, self._buffer = self._buffer, ""
            events.extend(self.decode_line(line))
        events.extend(self._dispatch())
        return events

    def _feed_text(self, text: str) -> list[ServerSentEvent]:
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]
        self._pending_cr = False
        self._buffer += text
        events: list[ServerSentEvent] = []
        while True:
            cut = _first_line_end(self._buffer)
            if cut is None:
                break
            index, width = cut
            if width == 1 and self._buffer[index] == "\r" and index == len(self._buffer) - 1:
                # a lone CR at the end of the buffer may be the first half of CRLF
                self._pending_cr = True
            line = self._buffer[:index]
            self._buffer = self._buffer[index + width :]
            events.extend(self.decode_line(line))
        return events

    def decode_line(self, line: str) -> list[ServerSentEvent]:
        """Process one line (without its line end); return the frame it completes, if any."""
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return []
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        events: list[ServerSentEvent] = []
        if field == "event":
            if self._data:
                events.extend(self._dispatch())
            self._event = value or None
        elif field == "data":
            self._data.append(value)
        elif field == "id" and "\0" not in value:
            self._id = value
        elif field == "retry" and value.isdigit():
            self._retry = int(value)
        return events

    def _dispatch(self) -> list[ServerSentEvent]:
        if not self._data and self._event is None:
            self._retry = None
            return []
        event = ServerSentEvent(data="\n".join(self._data), event=self._event, id=self._id, retry=self._retry)
        self._event = None
        self._data = []
        self._retry = None
        return [event]


def _first_line_end(text: str) -> tuple[int, int] | None:
    """Index and width of the first line end (LF, CR or CRLF) in ``text``."""
    lf = text.find("\n")
    cr = text.find("\r")
    if cr == -1 and lf == -1:
        return None
    if cr == -1 or (lf != -1 and lf < cr):
        return lf, 1
    if cr + 1 < len(text) and text[cr + 1] == "\n":
        return cr, 2
    return cr, 1


def decode_sse(chunks: Iterable[bytes]) -> list[ServerSentEvent]:
    """Decode a whole body given as chunks (handy for tests and small bodies)."""
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.flush())
    return events
