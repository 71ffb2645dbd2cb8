"""Input limits of the HTTP API, decided once and used by the request models (`api/**`).

None of them is a setting: they protect the storage layer (SQLite and PostgreSQL integers are 64-bit,
SQLite refuses LIKE patterns over 50,000 bytes, orjson refuses documents nested deeper than 254
levels) and keep one request cheap. FastGPT's own caps are kept where it has them:

- `pageSize` is clamped, not refused, where FastGPT clamps it (`Math.min(pageSize, 100)` in
  `projects/app/src/pages/api/core/dataset/collection/listV2.ts`); elsewhere each route keeps the cap
  of its FastGPT contract and a larger value is a 400.
- `offset`/`pageNum` are plain numbers in FastGPT (`parsePaginationRequest`,
  `packages/service/common/api/pagination.ts`); a skip beyond `MAX_OFFSET` could never return a row
  here, so it is refused with a 400 naming the field and the limit.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

# Pagination
MAX_OFFSET = 1_000_000_000
"""Largest `offset` (rows skipped) any list accepts."""
MAX_PAGE_NUM = 1_000_000
"""Largest 1-based `pageNum`; with page sizes up to 1,000 the skip stays under `MAX_OFFSET`."""
MAX_PAGE_SIZE = 200
"""Default cap of `pageSize` for lists whose FastGPT contract names none."""
COLLECTION_PAGE_SIZE = 100
"""FastGPT clamps collection lists to 100 rows a page (`collection/listV2.ts`); larger values are clamped."""
DATA_PAGE_SIZE = 30
"""FastGPT clamps data lists to 30 rows a page (`data/v2/list.ts`); larger values are clamped."""

# Text
MAX_SEARCH_TEXT = 1_000
"""Longest `searchKey`/`searchText`/`chatSearch` (characters)."""
MAX_DATA_TEXT = 20_000
"""Longest `q`/`a`/index text of one knowledge-base item (characters): FastGPT refuses text over its
embedding model's token limit; its chunks stay under 8,000 tokens, and every character here is embedded."""
MAX_QUERY_TEXT = 5_000
"""Longest `searchTest` query (characters)."""
MAX_ID_LENGTH = 256
"""Longest id-like value (`appId`, `chatId`, `dataId`, …); real ids are 24-64 characters."""
MAX_NAME_LENGTH = 200
"""Longest display name or title."""

# Chat
MAX_CHAT_MESSAGES = 1_000
"""Most `messages` in one completions request."""

# Numbers stored in 32-bit columns (PostgreSQL INTEGER)
MAX_INT32 = 2**31 - 1

# JSON bodies
MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays/objects in a JSON body (FastGPT app exports stay under 20)."""


def _clamp(limit: int) -> AfterValidator:
    return AfterValidator(lambda value: min(value, limit))


Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
PageNum = Annotated[int, Field(ge=1, le=MAX_PAGE_NUM)]
SearchText = Annotated[str, Field(max_length=MAX_SEARCH_TEXT)]
DataText = Annotated[str, Field(max_length=MAX_DATA_TEXT)]
QueryText = Annotated[str, Field(max_length=MAX_QUERY_TEXT)]
CollectionPageSize = Annotated[int, Field(ge=1), _clamp(COLLECTION_PAGE_SIZE)]
DataPageSize = Annotated[int, Field(ge=1), _clamp(DATA_PAGE_SIZE)]
