"""The tokenizer of the `expr-eval` (v2) expression language (see :mod:`expr_eval`)."""

from __future__ import annotations

import re
from typing import Any

from pyfastgpt.workflow.system_tools.expr_runtime import NAMED_OPERATORS, ExprError, format_number

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>0[xX][0-9a-fA-F]+|0[bB][01]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<op>\|\||==|!=|>=|<=|[-+*/%^!<>=?:.])
  | (?P<paren>[()])
  | (?P<bracket>[\[\]])
  | (?P<comma>,)
  | (?P<semi>;)
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "/": "/", "'": "'", '"': '"'}
_KIND_NAMES = {
    "number": "TNUMBER",
    "string": "TSTRING",
    "name": "TNAME",
    "op": "TOP",
    "paren": "TPAREN",
    "bracket": "TBRACKET",
    "comma": "TCOMMA",
    "semi": "TSEMICOLON",
    "eof": "TEOF",
}


class Token:
    __slots__ = ("kind", "pos", "value")

    def __init__(self, kind: str, value: Any, pos: int) -> None:
        self.kind, self.value, self.pos = kind, value, pos

    def is_(self, kind: str, value: str | None = None) -> bool:
        return self.kind == kind and (value is None or self.value == value)

    def describe(self) -> str:
        shown = format_number(self.value) if self.kind == "number" else self.value
        return f"{_KIND_NAMES[self.kind]}: {shown}"


def _unescape(body: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        char = match.group(1)
        if char.startswith("u") and len(char) == 5:
            return chr(int(char[1:], 16))
        return _ESCAPES.get(char, char)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", substitute, body)


def coords(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"[{line}:{column}]"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ExprError(f'parse error {coords(text, pos)}: Unknown character "{text[pos]}"')
        kind, raw = match.lastgroup or "", match.group()
        if kind == "number":
            value: Any = float(int(raw, 0)) if raw[:2].lower() in ("0x", "0b") else float(raw)
            tokens.append(Token(kind, value, pos))
        elif kind == "string":
            tokens.append(Token(kind, _unescape(raw[1:-1]), pos))
        elif kind == "name":
            tokens.append(Token("op" if raw in NAMED_OPERATORS else "name", raw, pos))
        elif kind != "space":
            tokens.append(Token(kind, raw, pos))
        pos = match.end()
    tokens.append(Token("eof", "EOF", len(text)))
    return tokens
