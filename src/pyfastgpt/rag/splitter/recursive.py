"""The recursive separator ladder of FastGPT's ``commonSplit``.

Separators, tried in order (a "step" is an index into this ladder):

1. custom separators (``chunkSplitter``; ``|`` separates alternatives, literal ``\\n`` means a newline),
   chunks up to ``max_size``, never merged with neighbours;
2. markdown headings ``#`` … ``#`` * ``paragraph_deep`` (at most 8): each heading's section is
   split further and every chunk of the deepest level gets its heading chain as a prefix;
3. fenced code blocks, cut out on their own, kept whole up to ``min(max_size, 4 * chunk_size)``;
4. markdown tables (split with the header repeated when too long);
5. blank lines, 6. newlines, 7. sentence ends ``。`` / ``x. ``, 8. ``！``/``! ``, 9. ``？``/``? ``,
   10. ``；``/``; ``, 11. ``，``/``, ``; then a hard cut by length.

Small pieces are merged until adding the next would pass the step's limit; a merged chunk may reach
1.2 × the limit. Overlap (``round(chunk_size * overlap_ratio)``, at most 0.4 × chunk_size) is only
taken at the punctuation steps: never across custom separators, headings, code, tables or line breaks.
A trailing piece shorter than 40 % of ``chunk_size`` is appended to the previous chunk.
The text being grown into a chunk carries its length along (:func:`joined_length`), so each piece
is measured once per step rather than the whole chunk again at every piece.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from pyfastgpt.rag.splitter.length import (
    LengthCounter,
    has_wide_space,
    joined_length,
    narrow_counter,
    split_by_char_limit,
    split_by_counter_limit,
)
from pyfastgpt.rag.splitter.table import CommonSplit, is_markdown_table, split_markdown_table

SPLIT_MARKER = "SPLIT_HERE_SPLIT_HERE"
CODE_LINE_MARKER = "CODE_BLOCK_LINE_MARKER"
MAX_HEADING_DEPTH = 8
CODE_BLOCK_CHUNKS = 4
KNOWN_LENGTHS = 32
DEFAULT_OVERLAP_RATIO = 0.15

_FENCED_CODE = re.compile(r"(```[\s\S]*?```|~~~[\s\S]*?~~~)")
_WHOLE_CODE_BLOCK = re.compile(r"^(```[\s\S]*```|~~~[\s\S]*~~~)$")
_EXTRA_NEWLINES = re.compile(r"(\r?\n|\r){3,}")
_CHAIN_HEADING = re.compile(r"(#{1,8}) [^\n]+\n")
# ``^#{1,depth}\s`` in multi-line mode, as a hash at a line start (the look-behind) and up to depth - 1
# more: starting with a literal, it is searched for rather than tried at every position
_HEADING_STARTS = [re.compile(rf"#(?<![^\n]#)#{{0,{depth - 1}}}\s") for depth in range(1, MAX_HEADING_DEPTH + 1)]

MarkKind = Literal["custom", "heading", "around", "after"]


@dataclass(frozen=True, slots=True)
class _Step:
    pattern: re.Pattern[str] | None  # None: a custom separator, matched literally
    literals: tuple[str, ...]
    max_len: float
    kind: MarkKind
    needles: tuple[str, ...] = ()  # every match of ``pattern`` holds one of these (one character if it can)

    def may_match(self, text: str) -> bool:
        """False when ``pattern`` cannot match ``text``: substring tests skip most regex passes."""
        return any(needle in text for needle in self.needles)


@dataclass(slots=True)
class _Piece:
    text: str
    title: str
    max_len: float


# The patterns start with a literal where they can, so that the regex engine scans for it instead of
# trying every position: a heading is its hashes (at a line start: the look-behind) and the rest of
# the line, ``^#{level}\s[^\n]+\n`` in multi-line mode; a Latin sentence end is the dot, after a
# letter, and a whitespace (``[a-zA-Z]\.\s``: a match ends at the same place, and group 1, the
# marked text, is the same once put back).
_HEADINGS = [
    re.compile(rf"({'#' * level}(?<![^\n]{'#' * level})\s[^\n]+\n)") for level in range(1, MAX_HEADING_DEPTH + 1)
]
_CODE_AROUND = re.compile(r"(^|\n)(```[\s\S]*?```|~~~[\s\S]*?~~~)")
_AFTER = [
    (re.compile(pattern), needles)
    for pattern, needles in (
        (r"(\n\|(?:[^\n|]*\|)+\n\|(?:[:\-\s]*\|)+\n(?:\|(?:[^\n|]*\|)*\n)*)", ("|",)),
        (r"(\n\n+)", ("\n\n",)),
        (r"(\n)", ("\n",)),
        (r"(。|\.(?<=[a-zA-Z]\.)\s)", ("。", ".")),
        (r"(！|!\s)", ("！", "!")),
        (r"(？|\?\s)", ("？", "?")),
        (r"(；|;\s)", ("；", ";")),
        (r"(，|,\s)", ("，", ",")),
    )
]


@functools.lru_cache(maxsize=64)
def _ladder(chunk_size: float, max_size: int, custom_reg: tuple[str, ...], depth: int) -> tuple[_Step, ...]:
    """The separator steps of one configuration (built once: splitters are made per text)."""
    code_max = min(max_size, chunk_size * CODE_BLOCK_CHUNKS)
    steps = [_Step(None, tuple(reg.replace("\\n", "\n").split("|")), max_size, "custom") for reg in custom_reg]
    steps += [_Step(pattern, (), chunk_size, "heading", ("#",)) for pattern in _HEADINGS[:depth]]
    steps.append(_Step(_CODE_AROUND, (), code_max, "around", ("`", "~")))
    steps += [_Step(pattern, (), chunk_size, "after", needles) for pattern, needles in _AFTER]
    return tuple(steps)


def _mark_heading(match: re.Match[str]) -> str:
    return SPLIT_MARKER + match.group(1)


def _is_code_block(text: str) -> bool:
    if "```" not in text and "~~~" not in text:  # every piece is tested: skip the strip and the regex
        return False
    return _WHOLE_CODE_BLOCK.match(text.strip()) is not None


class RecursiveSplitter:
    """One configured run of the splitter over one text (the part between custom split signs)."""

    def __init__(
        self,
        *,
        chunk_size: float,
        max_size: int,
        overlap_ratio: float,
        custom_reg: list[str],
        paragraph_deep: int,
        count: LengthCounter,
        token_mode: bool,
    ) -> None:
        self.chunk_size = chunk_size
        self.max_size = max_size
        self.count = count
        self.token_mode = token_mode
        self.overlap_len = round(chunk_size * overlap_ratio)
        self.custom_len = len(custom_reg)
        depth = min(paragraph_deep, MAX_HEADING_DEPTH) if paragraph_deep > 0 else 0
        self.depth = depth
        self.markdown_index = paragraph_deep - 1
        self.forbid_overlap_index = self.custom_len + self.markdown_index + 4
        self.steps = _ladder(chunk_size, max_size, tuple(custom_reg), depth)
        # lengths of the texts measured or emitted last: consecutive steps often see the same text
        # whole (one piece), and _flush measures the chunk emitted just before
        self._known: dict[str, int] = {}
        # whether the text being split has a character of a code fence / of a table row: every text
        # the ladder tests is made of the split text's characters (and newlines and markers), so
        # without one no piece is a code block / a table, and the tests of each piece are skipped
        self._fence_chars = self._pipes = True
        # whether the text being split holds a marker (the user's, or code lines marked by split)
        self._markers = True
        # what _measure counts with: a faster equivalent of ``count`` for the text being split
        self._measured = count

    # -- public -----------------------------------------------------------------------------------

    def split(self, raw_text: str, *, shortcut: bool = True) -> list[str]:
        """The chunks of ``raw_text``. ``shortcut``: keep a text that no step would cut whole without
        running the ladder (same result; ``False`` always runs it, for tests comparing both)."""
        text = raw_text
        # (a one-character substring test is much cheaper than a longer one: it goes first)
        self._fence_chars = "`" in text or "~" in text
        if self._fence_chars and ("```" in text or "~~~" in text):
            text = _FENCED_CODE.sub(lambda m: m.group(0).replace("\n", CODE_LINE_MARKER), text)
        if "\r" in text or "\n\n\n\n" in text:  # only a \r or four line feeds in a row change anything
            text = _EXTRA_NEWLINES.sub("\n\n\n", text)
        self._pipes = "|" in text
        self._markers = "_" in text and (SPLIT_MARKER in text or CODE_LINE_MARKER in text)
        self._measured = self.count if has_wide_space(text) else narrow_counter(self.count)
        chunks = [text] if shortcut and self._kept_whole(text) else self._recurse(text, 0, "", "")
        if self._markers:
            return [chunk.replace(CODE_LINE_MARKER, "\n").strip() for chunk in chunks]
        return [chunk.strip() for chunk in chunks]

    def _kept_whole(self, text: str) -> bool:
        """Whether the ladder would return ``text`` as its one chunk: no custom separator, no code
        fence (or marker), headings only as one chain of increasing levels at the very top, and the
        rest within ``chunk_size`` (the pieces are then merged back whole at the first cutting step).
        The usual case for a chunk measured again in tokens to build its indexes."""
        if self.custom_len or self.markdown_index >= MAX_HEADING_DEPTH or not text.strip():
            return False
        if self._markers or (self._fence_chars and ("```" in text or "~~~" in text)):
            return False
        body = 0
        if self.depth:
            level = 0
            while (line := _CHAIN_HEADING.match(text, body)) and level < len(line.group(1)) <= self.depth:
                level, body = len(line.group(1)), line.end()
            if _HEADING_STARTS[self.depth - 1].search(text, body):
                return False
        return self._measure(text[body:]) <= self.chunk_size

    # -- step helpers -----------------------------------------------------------------------------

    def _measure(self, text: str) -> int:
        known = self._known.get(text)
        if known is None:
            known = self._measured(text)
            self._remember(text, known)
        return known

    def _remember(self, text: str, length: int) -> None:
        self._known[text] = length
        if len(self._known) > KNOWN_LENGTHS:
            del self._known[next(iter(self._known))]

    def _emit(self, chunks: list[str], text: str, length: int) -> None:
        chunks.append(text)
        self._remember(text, length)

    def _is_code_block(self, text: str) -> bool:
        return self._fence_chars and _is_code_block(text)

    def _is_table(self, text: str) -> bool:
        return self._pipes and is_markdown_table(text)

    def _is_custom(self, step: int) -> bool:
        return step < self.custom_len

    def _is_heading(self, step: int) -> bool:
        return self.custom_len <= step <= self.markdown_index + self.custom_len

    def _pieces(self, text: str, step: int) -> list[_Piece]:
        if step >= len(self.steps):
            return [_Piece(text, "", self.chunk_size)]
        rule = self.steps[step]
        found_any = 1
        if rule.pattern is None:
            marked = text
            for literal in rule.literals:
                marked = marked.replace(literal, SPLIT_MARKER)
        elif rule.kind != "after" and not rule.may_match(text):
            marked, found_any = "", 0
        elif rule.kind == "heading":
            marked, found_any = rule.pattern.subn(_mark_heading, text)
        elif rule.kind == "around":
            marked, found_any = rule.pattern.subn(lambda m: SPLIT_MARKER + m.group(0) + SPLIT_MARKER, text)
        else:  # the separator ends its piece, and either way a piece's limit is chunk_size
            if self._markers and SPLIT_MARKER in text:
                marked = rule.pattern.sub(lambda m: (m.group(1) or "") + SPLIT_MARKER, text)
                parts = marked.split(SPLIT_MARKER)
            else:  # the same cuts (each "after" pattern is wrapped whole in group 1), without the marker
                ends = [match.end() for match in rule.pattern.finditer(text)] if rule.may_match(text) else []
                parts = [text[start:end] for start, end in zip([0, *ends], [*ends, len(text)], strict=True)]
            return [_Piece(part, "", self.chunk_size) for part in parts if part.strip()]
        if not found_any:  # no separator of this step in the text: one piece, no title
            return [_Piece(text, "", self.chunk_size)] if text.strip() else []

        pieces: list[_Piece] = []
        for part in marked.split(SPLIT_MARKER):
            if not part.strip():
                continue
            if rule.pattern is None:
                pieces.append(_Piece(part, "", rule.max_len))
                continue
            found = rule.pattern.search(part)
            max_len = self.chunk_size if found is None else rule.max_len
            if rule.kind == "heading":
                title = found.group(0) if found else ""
                body = part.replace(title, "", 1) if title else part
                if title or body.strip():
                    pieces.append(_Piece(body, title, max_len))
            else:
                pieces.append(_Piece(part, "", max_len))
        return pieces

    def _overlap_of(self, text: str, step: int) -> tuple[str, int]:
        """The tail of ``text`` that starts the next chunk (sentences from the end, ≥ overlap_len),
        and its length."""
        if step <= self.forbid_overlap_index or self.overlap_len == 0 or step >= len(self.steps):
            return "", 0
        max_overlap = self.chunk_size * 0.4
        overlap, overlap_len = "", 0
        for piece in reversed(self._pieces(text, step)):
            candidate = piece.text + overlap
            length = joined_length(self.count, piece.text, self._measure(piece.text), overlap, overlap_len)
            if length > self.overlap_len:
                if length > max_overlap:
                    finer = self._overlap_of(candidate, step + 1)
                    return finer if finer[0] else (overlap, overlap_len)
                return candidate, length
            overlap, overlap_len = candidate, length
        return overlap, overlap_len

    def _hard_cut(self, text: str, max_length: float, step_length: float) -> list[str]:
        if self.token_mode:
            return split_by_counter_limit(text, max_length, step_length, self.count)
        return split_by_char_limit(text, max_length, step_length)

    def _split_table(self, text: str) -> list[str]:
        # FastGPT calls the table splitter here with only size settings, so a long row is
        # re-split with the splitter's defaults (no custom separators, 5 heading levels, 0.15 overlap).
        size = self.chunk_size if self.token_mode else self.chunk_size * 1.2
        return split_markdown_table(
            text,
            chunk_size=size,
            max_size=self.max_size,
            count=self.count,
            token_mode=self.token_mode,
            common_split=self.factory(overlap_ratio=DEFAULT_OVERLAP_RATIO, custom_reg=[], paragraph_deep=5),
        )

    def factory(self, *, overlap_ratio: float, custom_reg: list[str], paragraph_deep: int) -> CommonSplit:
        """A ``(text, chunk_size, max_size) -> chunks`` splitter sharing this one's length counter."""

        def split(text: str, chunk_size: float, max_size: int) -> list[str]:
            return RecursiveSplitter(
                chunk_size=chunk_size,
                max_size=max_size,
                overlap_ratio=overlap_ratio,
                custom_reg=custom_reg,
                paragraph_deep=paragraph_deep,
                count=self.count,
                token_mode=self.token_mode,
            ).split(text)

        return split

    # -- the recursion ----------------------------------------------------------------------------

    def _recurse(self, text: str, step: int, last_text: str, parent_title: str) -> list[str]:
        count = self.count
        if step >= len(self.steps):
            combined = last_text + text
            if count(combined) < self.max_size:
                return [combined]
            return self._hard_cut(combined, self.chunk_size, self.chunk_size - self.overlap_len)

        is_heading = self._is_heading(step)
        forbid_concat = self._is_custom(step)
        last_is_overlap = False
        last_len = self._measure(last_text)
        pieces = self._pieces(text, step)
        chunks: list[str] = []

        i = 0
        while i < len(pieces):
            piece = pieces[i]
            i += 1
            max_len = piece.max_len
            current = piece.text
            new_text = last_text + current

            if self._is_code_block(current):
                if last_len > 0:
                    self._emit(chunks, last_text, last_len)
                    last_text, last_len, last_is_overlap = "", 0, False
                if count(current) > max_len:
                    restored = current.replace(CODE_LINE_MARKER, "\n")
                    chunks.extend(self._hard_cut(restored, self.chunk_size, self.chunk_size))
                else:
                    chunks.append(current)
                continue

            table = self._is_table(current)
            if is_heading and not table:  # a heading section is split further whatever its length
                chunks += self._heading_chunks(new_text, step, parent_title + piece.title)
                continue
            new_len = joined_length(count, last_text, last_len, current, self._measure(current))

            if table and new_len > max_len:
                if last_len > 0:
                    self._emit(chunks, last_text, last_len)
                    last_text, last_len, last_is_overlap = "", 0, False
                chunks.extend(self._split_table(current))
                continue

            if is_heading:
                chunks += self._heading_chunks(new_text, step, parent_title + piece.title)
                continue

            if new_len > max_len:
                min_chunk_len = max_len * 0.8
                max_chunk_len = max_len * 1.2
                if new_len < max_chunk_len and (not self.token_mode or new_len <= self.max_size):
                    self._emit(chunks, new_text, new_len)
                    (last_text, last_len), last_is_overlap = self._overlap_of(new_text, step), True
                    continue
                if last_len > min_chunk_len:
                    self._emit(chunks, last_text, last_len)
                    (last_text, last_len), last_is_overlap = self._overlap_of(last_text, step), True
                    i -= 1  # the current piece is tried again against the new overlap
                    continue
                inner = self._recurse(current, step + 1, last_text, parent_title + piece.title)
                if not inner:
                    continue
                last_chunk = inner[-1]
                last_chunk_len = self._measure(last_chunk)
                if last_chunk_len < min_chunk_len:
                    chunks.extend(inner[:-1])
                    last_text, last_len, last_is_overlap = last_chunk, last_chunk_len, False
                    continue
                chunks.extend(inner)
                (last_text, last_len), last_is_overlap = self._overlap_of(last_chunk, step), True
                continue

            if forbid_concat:
                chunks.append(current)
                continue
            last_text, last_len, last_is_overlap = new_text, new_len, False

        return self._flush(chunks, last_text, last_len, last_is_overlap)

    def _heading_chunks(self, text: str, step: int, title: str) -> list[str]:
        """A heading's section split by the next steps; the deepest level prefixes its heading chain."""
        inner = self._recurse(text, step + 1, "", title)
        if not inner:
            return [title]
        if step == self.markdown_index + self.custom_len:
            return [title + chunk for chunk in inner]
        return inner

    def _flush(self, chunks: list[str], last_text: str, last_len: int, last_is_overlap: bool) -> list[str]:
        """Emit the leftover text: merged into the previous chunk when short, else on its own."""
        previous = chunks[-1] if chunks else ""
        if self.token_mode:
            should_push = not last_is_overlap or not previous.endswith(last_text)
        else:
            should_push = not previous.endswith(last_text)
        if last_text and previous and should_push:
            merged_len = 0
            mergeable = (
                last_len < self.chunk_size * 0.4
                and not self._is_code_block(previous)
                and (
                    not self.token_mode
                    or (merged_len := self._merged_length(previous, last_text, last_len)) <= self.max_size
                )
            )
            if mergeable:
                chunks[-1] = previous + last_text
                if merged_len:
                    self._remember(chunks[-1], merged_len)
            else:
                self._emit(chunks, last_text, last_len)
        elif last_text and not chunks:
            self._emit(chunks, last_text, last_len)
        return chunks

    def _merged_length(self, previous: str, last_text: str, last_len: int) -> int:
        return joined_length(self.count, previous, self._measure(previous), last_text, last_len)
