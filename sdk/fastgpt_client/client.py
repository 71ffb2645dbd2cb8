"""Synchronous clients (seed SDK module name), generated from the async source."""

from fastgpt_client._sync._client import FastGPTClient
from fastgpt_client._sync.app_client import AppClient
from fastgpt_client._sync.chat_client import ChatClient

__all__ = ["AppClient", "ChatClient", "FastGPTClient"]
