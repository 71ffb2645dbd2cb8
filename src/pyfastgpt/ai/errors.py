"""Errors raised by the model layer.

UpstreamError (core)
└── ModelError            a provider failed: HTTP status, provider name, message
    └── ModelTimeout      no answer (or no next chunk) within the timeout
InvalidRequest (core)
└── ModelNotFound         an unknown model id, or a type with no model configured
"""

from __future__ import annotations

from pyfastgpt.core.errors import InvalidRequest, UpstreamError


class ModelError(UpstreamError):
    """A model provider call failed (after any retries)."""

    def __init__(self, message: str, *, provider: str, status: int | None = None) -> None:
        self.provider = provider
        self.upstream_status = status
        prefix = f"[{provider}] " if provider else ""
        suffix = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{prefix}{message}{suffix}")
        self.detail = message


class ModelTimeout(ModelError):
    """The provider did not answer (or send the next chunk) in time."""


class ModelNotFound(InvalidRequest):
    """A model id the registry does not know, or no model of the requested type is available."""

    def __init__(self, message: str, *, model_id: str | None = None) -> None:
        self.model_id = model_id
        super().__init__(message)
