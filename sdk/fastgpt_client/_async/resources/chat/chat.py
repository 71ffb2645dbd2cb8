"""``client.chat`` namespace."""

from __future__ import annotations

from functools import cached_property

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._async.resources.chat.completions import AsyncCompletions
from fastgpt_client._async.resources.chat.interactive import AsyncInteractive


class AsyncChat(AsyncAPIResource):
    @cached_property
    def completions(self) -> AsyncCompletions:
        return AsyncCompletions(self._client)

    @cached_property
    def interactive(self) -> AsyncInteractive:
        return AsyncInteractive(self._client)
