"""Asynchronous clients (seed SDK module name)."""

from fastgpt_client._async._client import AsyncFastGPTClient
from fastgpt_client._async.app_client import AsyncAppClient
from fastgpt_client._async.chat_client import AsyncChatClient

__all__ = ["AsyncAppClient", "AsyncChatClient", "AsyncFastGPTClient"]
