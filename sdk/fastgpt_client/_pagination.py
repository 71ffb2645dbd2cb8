"""Auto-paging, I/O free: which page to ask for next and when to stop.

FastGPT's list routes page in two ways (``parsePaginationRequest`` in FastGPT's
``packages/service/common/api/pagination.ts``):

* ``offset`` + ``pageSize`` (histories, records, ``listV2``, ``data/v2/list``, training errors,
  app versions, app logs), answering ``{list, total}``;
* ``pageNum`` + ``pageSize`` (the legacy ``collection/list`` answering ``{pageNum, pageSize, data,
  total}``, the paged model list answering ``{list, total}``).

Servers clamp ``pageSize`` silently (pyfastgpt and FastGPT cap dataset pages at 100), so the cursor
advances by the number of items actually received and stops on an empty page, once ``total`` items
were seen, or (when no ``total`` is given) on a short page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

PagingStyle = Literal["offset", "pageNum"]


@dataclass(frozen=True)
class PageRequest:
    """The page to fetch: both numbering schemes are filled in, use the one the route takes."""

    offset: int
    page_num: int
    page_size: int


AsyncPageFetcher = Callable[[PageRequest], Awaitable[Any]]
"""``await fetch(request)`` returns one page (``{list, total}`` or ``{data, total}``)."""
PageFetcher = Callable[[PageRequest], Any]
"""``fetch(request)`` returns one page; the sync twin of :data:`AsyncPageFetcher`."""


def page_items(page: Any) -> list[Any]:
    """The items of a page: ``list`` (current routes), ``data`` (legacy ``collection/list``) or a bare list."""
    if isinstance(page, list):
        return page
    if isinstance(page, Mapping):
        for key in ("list", "data"):
            items = page.get(key)
            if isinstance(items, list):
                return items
    return []


def page_total(page: Any) -> int | None:
    if isinstance(page, Mapping):
        total = page.get("total")
        if isinstance(total, int) and not isinstance(total, bool):
            return total
    return None


class PageCursor:
    """The position of an auto-paging iteration; :meth:`advance` consumes one fetched page."""

    def __init__(self, style: PagingStyle, page_size: int, *, start: int = 0) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        if start < 0:
            raise ValueError("start must not be negative")
        self.style = style
        self.page_size = page_size
        self.offset = start
        self.page_num = start // page_size + 1
        self.done = False

    def request(self) -> PageRequest:
        return PageRequest(offset=self.offset, page_num=self.page_num, page_size=self.page_size)

    def advance(self, page: Any) -> list[Any]:
        """Record a fetched page; return its items and set :attr:`done` when it was the last one."""
        items = page_items(page)
        total = page_total(page)
        self.offset += len(items)
        self.page_num += 1
        if not items or not isinstance(page, Mapping):
            self.done = True  # empty, or a bare list: the route ignored paging and answered everything
        elif total is not None:
            self.done = self.offset >= total
        else:
            self.done = len(items) < self.page_size
        return items


__all__ = ["AsyncPageFetcher", "PageCursor", "PageFetcher", "PageRequest", "PagingStyle", "page_items", "page_total"]
