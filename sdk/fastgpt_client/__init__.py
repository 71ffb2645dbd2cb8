"""FastGPT Python SDK.

A client for FastGPT-compatible servers (FastGPT, pyfastgpt): the seed SDK's
``ChatClient``/``AppClient`` (sync and async, returning ``httpx.Response``; thin wrappers over the
resources) plus resource namespaces on every client: ``chat`` (``completions``, ``interactive``,
``histories``, ``records``, ``feedback``, ``files``, ``test``), ``models``, ``datasets``
(``collections``, ``data``, ``training``), ``apps`` (``versions``), ``api_keys``, ``share_links``
and ``analytics``; ``list_all`` helpers page automatically and ``with_options`` copies a client.
"""

from fastgpt_client._base import BaseClientMixin
from fastgpt_client._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FastGPTError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StreamParseError,
    UnprocessableEntityError,
    ValidationError,
)
from fastgpt_client._types import NOT_GIVEN, NotGiven
from fastgpt_client._version import __version__
from fastgpt_client.async_client import AsyncAppClient, AsyncChatClient, AsyncFastGPTClient
from fastgpt_client.client import AppClient, ChatClient, FastGPTClient
from fastgpt_client.images import (
    decode_data_url,
    encode_image_data_url,
    image_part_from_bytes,
    image_part_from_path,
    image_url_part,
    is_data_url,
)
from fastgpt_client.stream_types import (
    FastGPTInteractiveEvent,
    FastGPTStreamEvent,
    StreamEvent,
    StreamSummary,
)
from fastgpt_client.streaming import AsyncStream, Stream, aiter_stream_events, iter_stream_events

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AppClient",
    "AsyncAppClient",
    "AsyncChatClient",
    "AsyncFastGPTClient",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BaseClientMixin",
    "ChatClient",
    "ConflictError",
    "FastGPTClient",
    "FastGPTError",
    "FastGPTInteractiveEvent",
    "FastGPTStreamEvent",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "Stream",
    "StreamEvent",
    "StreamParseError",
    "StreamSummary",
    "UnprocessableEntityError",
    "ValidationError",
    "__version__",
    "aiter_stream_events",
    "decode_data_url",
    "encode_image_data_url",
    "image_part_from_bytes",
    "image_part_from_path",
    "image_url_part",
    "is_data_url",
    "iter_stream_events",
]
