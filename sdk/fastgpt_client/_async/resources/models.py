"""``client.models`` ↔ ``GET /api/core/ai/model/list``: the models a team may pick.

FastGPT answers the whole list; with ``pageNum`` + ``pageSize`` the answer is ``{list, total}``.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator
from typing import cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import ModelInfo, Page

PATH = "/api/core/ai/model/list"


class AsyncModels(AsyncAPIResource):
    """LLM, embedding, rerank, TTS and STT models of the deployment (no secrets)."""

    async def list(self, *, type: NotGivenOr[str] = NOT_GIVEN) -> builtins.list[ModelInfo]:
        """Every model; ``type`` (``llm``, ``embedding``, ``rerank`` …) filters on the client side."""
        models = cast(builtins.list[ModelInfo], await self._get(PATH))
        if isinstance(type, str):
            return [model for model in models if model.get("type") == type]
        return models

    async def list_page(self, *, page_num: int = 1, page_size: int = 20) -> Page[ModelInfo]:
        """One page (``pageNum`` counts from 1)."""
        return cast(Page[ModelInfo], await self._get(PATH, query={"pageNum": page_num, "pageSize": page_size}))

    def list_all(self, *, page_size: int = 20) -> AsyncIterator[ModelInfo]:
        """Every model, fetched ``page_size`` at a time (``pageNum`` paging)."""

        async def fetch(request: PageRequest) -> Page[ModelInfo]:
            return await self.list_page(page_num=request.page_num, page_size=request.page_size)

        return iterate_pages(fetch, PageCursor("pageNum", page_size))
