"""The shared client base (seed SDK module name)."""

from fastgpt_client._base import BaseClientMixin, normalize_base_url

__all__ = ["BaseClientMixin", "normalize_base_url"]
