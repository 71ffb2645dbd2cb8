"""Text → chunks, following FastGPT's ``splitText2Chunks`` and its chunk-settings resolution.

- :func:`split_text` — the splitter (``recursive`` documents the separator ladder).
- :func:`resolve_chunk_settings` / :class:`ChunkSettings` — a collection's final chunk settings.
- :func:`raw_text_to_chunks` — the chunk trigger plus the split, as collection creation runs it.
"""

from pyfastgpt.rag.splitter.length import LengthCounter, count_valid_chars, estimate_tokens
from pyfastgpt.rag.splitter.settings import (
    ChunkSettings,
    raw_text_to_chunks,
    resolve_chunk_settings,
)
from pyfastgpt.rag.splitter.split import CUSTOM_SPLIT_SIGN, DEFAULT_MAX_CHUNK_SIZE, simple_text, split_text

__all__ = [
    "CUSTOM_SPLIT_SIGN",
    "DEFAULT_MAX_CHUNK_SIZE",
    "ChunkSettings",
    "LengthCounter",
    "count_valid_chars",
    "estimate_tokens",
    "raw_text_to_chunks",
    "resolve_chunk_settings",
    "simple_text",
    "split_text",
]
