"""Removing dataset cite markers `[<24-hex id>](CITE)` from model text (`retainDatasetCite=false`)."""

from __future__ import annotations

import re

CITE_MARKER = re.compile(r"\[([a-f0-9]{24})\]\(CITE\)")
_MARKER_LENGTH = 1 + 24 + 1 + len("(CITE)")
_PREFIX = re.compile(r"\[[a-f0-9]{0,24}(\](\(C?I?T?E?)?)?$")


def remove_cites(text: str) -> str:
    return CITE_MARKER.sub("", text)


class CiteFilter:
    """Streaming version: holds back a tail that may still become a marker."""

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, text: str) -> str:
        data = remove_cites(self._pending + text)
        start = data.rfind("[")
        if start != -1 and len(data) - start < _MARKER_LENGTH and _PREFIX.match(data[start:]):
            self._pending = data[start:]
            return data[:start]
        self._pending = ""
        return data

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return rest
