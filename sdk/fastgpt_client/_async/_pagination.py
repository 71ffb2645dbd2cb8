"""Auto-paging iteration over a FastGPT list route (the cursor rules live in ``fastgpt_client._pagination``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastgpt_client._pagination import AsyncPageFetcher, PageCursor


async def iterate_pages(fetch: AsyncPageFetcher, cursor: PageCursor) -> AsyncIterator[Any]:
    """Yield every item of every page, fetching the next page only when the previous one is used up."""
    while not cursor.done:
        page = await fetch(cursor.request())
        for item in cursor.advance(page):
            yield item
