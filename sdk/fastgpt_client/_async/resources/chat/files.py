"""``client.chat.files`` ↔ ``/api/core/chat/presignChatFilePostUrl`` and ``presignChatFileGetUrl``.

FastGPT 4.11 serves them under ``/api/core/chat/``, 4.16 under ``/api/core/chat/file/``
(``projects/app/src/pages/api/core/chat/file/*.ts``); the older path is tried first and a 404
moves on to the newer one. Uploading the bytes is the seed helper ``upload_chat_file``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._async.resources.chat.histories import visitor
from fastgpt_client._exceptions import APIError, NotFoundError
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import PresignedUpload

PRESIGN_POST_PATHS = ("/api/core/chat/presignChatFilePostUrl", "/api/core/chat/file/presignChatFilePostUrl")
PRESIGN_GET_PATHS = ("/api/core/chat/presignChatFileGetUrl", "/api/core/chat/file/presignChatFileGetUrl")


class AsyncFiles(AsyncAPIResource):
    """Presigned upload and download URLs for files sent in chats."""

    async def _post_first(
        self,
        paths: Sequence[str],
        body: Mapping[str, Any],
        out_link_auth_data: NotGivenOr[Mapping[str, Any]],
        extra_body: Mapping[str, Any] | None,
    ) -> Any:
        """POST to the first path that is not a 404 (``extra_body`` keeps the API key, unlike a visitor call)."""
        kwargs = visitor(out_link_auth_data)
        kwargs["extra_body"] = {**(extra_body or {}), **kwargs.get("extra_body", {})}
        last: APIError | None = None
        for path in paths:
            try:
                return await self._post(path, body=body, **kwargs)
            except NotFoundError as exc:
                last = exc
        assert last is not None
        raise last

    async def presign_post_url(
        self,
        app_id: str,
        chat_id: str,
        filename: str,
        *,
        file_select_config: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> PresignedUpload:
        """Where and how to upload ``filename`` (``url`` + ``fields`` for POST, or ``headers`` for PUT)."""
        body = {
            "appId": app_id,
            "chatId": chat_id,
            "filename": filename,
            "fileSelectConfig": dict(file_select_config) if isinstance(file_select_config, Mapping) else NOT_GIVEN,
        }
        return cast(PresignedUpload, await self._post_first(PRESIGN_POST_PATHS, body, out_link_auth_data, extra_body))

    async def presign_get_url(
        self,
        app_id: str,
        key: str,
        *,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> str:
        """A temporary URL to read an uploaded chat file (``key`` from :meth:`presign_post_url`)."""
        body = {"appId": app_id, "key": key}
        return cast(str, await self._post_first(PRESIGN_GET_PATHS, body, out_link_auth_data, extra_body))
