"""``client.chat``: completions (``/api/v1/chat/completions``) and interactive-node helpers."""

from fastgpt_client._async.resources.chat.chat import AsyncChat
from fastgpt_client._async.resources.chat.completions import AsyncCompletions
from fastgpt_client._async.resources.chat.interactive import AsyncInteractive

__all__ = ["AsyncChat", "AsyncCompletions", "AsyncInteractive"]
