"""Full-text tokens: jieba search-mode segmentation of mixed Chinese / English text.

``segment(text)`` runs once per data item at ingest and its result is stored (FastGPT's
``fullTextToken``: ``q\\na`` segmented, space-joined); ``segment_query(text)`` turns a search
query into the same kind of tokens. Both: markdown symbols and URLs removed (as FastGPT does),
lowercased, search-mode cuts (``上海交通大学`` → ``上海 交通 大学 上海交通大学``), punctuation and
whitespace dropped, and a short list of function words removed ("lightly": FastGPT's list of ~1,300
words also drops content words such as 问题 or 使用, which hurts recall on short queries).

Engines: ``rjieba`` (Rust, same dictionary, ≈16× faster in ``bench/readers.py``) when it is
installed, else ``jieba``. They differ only on words joined by ``-``/``_``/``.`` (rjieba also emits
the joined form), so tokens are further split on non-word characters and both engines yield the
same token set. A deployment must not switch engines without re-segmenting stored texts.
jieba's dictionary ships inside the package; it is loaded once, under a lock, on first use or ahead
of it (:func:`preload`, when training workers start), with its prefix cache written to ``cache_dir``
(default: the system temp dir). Segmentation is CPU-bound, so the async wrappers run it in a worker
thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from itertools import filterfalse

import jieba

_MARKDOWN_AND_URLS = re.compile(r"[#*`_~>\[\](){}|]|\S*https?\S*")
_MARKDOWN = re.compile(r"[#*`_~>\[\](){}|]")  # the same without URLs (the costly part)
_STOPWORD_TEXT = (
    "的 了 和 与 及 或 是 在 也 就 都 而 之 其 把 被 让 给 对 向 从 于 以 吧 吗 呢 啊 呀 哦 么 着 过 这 那 个"
    " a an the of to and or is are was were be been being in on at for with by as it its this that these"
    " those from into than then there their they them he she we you i me my our your his her"
)
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split(" "))

_WORD_PART = re.compile(r"[^\W_]+")

log = logging.getLogger(__name__)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_cut: Callable[[str], Iterable[str]] | None = None
_cache_dir: str | None = None
_engine: str | None = None


def configure(*, cache_dir: str | os.PathLike[str] | None = None, engine: str | None = None) -> None:
    """Set jieba's cache directory and/or force an engine (``"jieba"`` or ``"rjieba"``) before
    the first segmentation."""
    global _cache_dir, _engine
    if cache_dir is not None:
        _cache_dir = os.fspath(cache_dir)
    if engine is not None:
        if engine not in ("jieba", "rjieba"):
            raise ValueError(f"unknown segmentation engine {engine!r}")
        _engine = engine


def engine_name() -> str:
    """The engine in use (initialising it if needed)."""
    _cutter()
    return _engine or "jieba"


def preload() -> threading.Thread:
    """Load the engine in a background thread (its dictionary takes ~0.2 s of CPU, jieba's far
    more), so that the first segmentation does not wait for it. Should loading fail, the first
    segmentation tries again and raises where it is used."""
    thread = threading.Thread(target=_load_quietly, name="fulltext-engine", daemon=True)
    thread.start()
    return thread


def _load_quietly() -> None:
    try:
        _cutter()
    except Exception:
        log.warning("could not load the segmentation engine ahead of use", exc_info=True)


def _cutter() -> Callable[[str], Iterable[str]]:
    cut = _cut
    if cut is None:
        with _lock:
            cut = _cut or _load_engine_locked()
    return cut


def _load_engine_locked() -> Callable[[str], Iterable[str]]:
    global _cut, _engine
    cut: Callable[[str], Iterable[str]] | None = None
    if _engine in (None, "rjieba"):
        try:
            import rjieba  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError:
            if _engine == "rjieba":
                raise
        else:
            cut = rjieba.cut_for_search
    _engine = "rjieba" if cut is not None else "jieba"
    _cut = cut or _jieba_tokenizer_locked().cut_for_search
    return _cut


def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer (also when rjieba does the cutting), loaded on first use."""
    with _lock:
        return _jieba_tokenizer_locked()


def _jieba_tokenizer_locked() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        jieba.setLogLevel(logging.WARNING)
        instance = jieba.Tokenizer()
        directory = _cache_dir or os.path.join(tempfile.gettempdir(), "pyfastgpt-jieba")
        os.makedirs(directory, exist_ok=True)
        instance.tmp_dir = directory
        instance.initialize()
        _tokenizer = instance
    return _tokenizer


def tokens(text: str) -> list[str]:
    """Search-mode tokens of ``text``, lowercased, without punctuation and stopwords."""
    cleaned = (_MARKDOWN_AND_URLS if "http" in text else _MARKDOWN).sub(" ", text).lower()
    return list(_words_but(list(_cutter()(cleaned)), STOPWORDS))


def word_parts(cuts: list[str]) -> Iterable[str]:
    r"""The cuts split on non-word characters, in order (``[^\W_]`` is ``str.isalnum``)."""
    return _words_but(cuts, frozenset())


def _words_but(cuts: list[str], dropped: frozenset[str]) -> Iterable[str]:
    """The word parts of the cuts (see :func:`word_parts`) that are not in ``dropped``.

    Nearly every cut is a whole word or has no letter or digit at all (punctuation, spaces): the
    words are then the cuts that are neither one of the other (few, distinct) cuts nor dropped, a
    filter in C. Only when some cut mixes both (``e.g.``, ``node.js``) does one regex pass split the
    space-joined cuts (it costs as much as the cutting).
    """
    skipped = set(filterfalse(str.isalnum, cuts))
    if _WORD_PART.search(" ".join(skipped)):
        return filterfalse(dropped.__contains__, _WORD_PART.findall(" ".join(cuts)))
    skipped |= dropped
    return filterfalse(skipped.__contains__, cuts)


def segment(text: str) -> str:
    """The stored token string of a data item (space-separated tokens)."""
    return " ".join(tokens(text))


def segment_query(text: str) -> list[str]:
    """Distinct tokens of a query, in order of first appearance."""
    return list(dict.fromkeys(tokens(text)))


async def asegment(text: str) -> str:
    return await asyncio.to_thread(segment, text)


async def asegment_query(text: str) -> list[str]:
    return await asyncio.to_thread(segment_query, text)
