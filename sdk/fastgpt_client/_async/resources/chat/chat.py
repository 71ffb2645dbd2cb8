"""``client.chat`` namespace: completions, interactive answers, histories, records, feedback, files, test runs."""

from __future__ import annotations

from functools import cached_property

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._async.resources.chat.completions import AsyncCompletions
from fastgpt_client._async.resources.chat.feedback import AsyncFeedback
from fastgpt_client._async.resources.chat.files import AsyncFiles
from fastgpt_client._async.resources.chat.histories import AsyncHistories
from fastgpt_client._async.resources.chat.interactive import AsyncInteractive
from fastgpt_client._async.resources.chat.records import AsyncRecords
from fastgpt_client._async.resources.chat.test import AsyncChatTest


class AsyncChat(AsyncAPIResource):
    @cached_property
    def completions(self) -> AsyncCompletions:
        return AsyncCompletions(self._client, raw_response=self._raw_response)

    @cached_property
    def interactive(self) -> AsyncInteractive:
        return AsyncInteractive(self._client)

    @cached_property
    def histories(self) -> AsyncHistories:
        return AsyncHistories(self._client, raw_response=self._raw_response)

    @cached_property
    def records(self) -> AsyncRecords:
        return AsyncRecords(self._client, raw_response=self._raw_response)

    @cached_property
    def feedback(self) -> AsyncFeedback:
        return AsyncFeedback(self._client, raw_response=self._raw_response)

    @cached_property
    def files(self) -> AsyncFiles:
        return AsyncFiles(self._client, raw_response=self._raw_response)

    @cached_property
    def test(self) -> AsyncChatTest:
        return AsyncChatTest(self._client, raw_response=self._raw_response)
