"""``client.chat``: completions, interactive-node helpers, histories, records, feedback, files, test runs."""

from fastgpt_client._async.resources.chat.chat import AsyncChat
from fastgpt_client._async.resources.chat.completions import AsyncCompletions
from fastgpt_client._async.resources.chat.feedback import AsyncFeedback
from fastgpt_client._async.resources.chat.files import AsyncFiles
from fastgpt_client._async.resources.chat.histories import AsyncHistories
from fastgpt_client._async.resources.chat.interactive import AsyncInteractive
from fastgpt_client._async.resources.chat.records import AsyncRecords
from fastgpt_client._async.resources.chat.test import AsyncChatTest

__all__ = [
    "AsyncChat",
    "AsyncChatTest",
    "AsyncCompletions",
    "AsyncFeedback",
    "AsyncFiles",
    "AsyncHistories",
    "AsyncInteractive",
    "AsyncRecords",
]
