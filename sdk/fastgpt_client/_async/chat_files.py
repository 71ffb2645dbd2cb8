"""``AsyncChatFiles``: chat file and image uploads through FastGPT's presigned URLs (seed SDK methods)."""

from __future__ import annotations

import mimetypes
from typing import Any, Literal

import httpx

from fastgpt_client._async._client import AsyncFastGPTClient
from fastgpt_client._exceptions import APIError
from fastgpt_client._files import FileInput, open_upload
from fastgpt_client.images import decode_data_url, image_url_part, is_data_url


def default_file_select_config(file_type: str) -> dict[str, Any]:
    """The ``fileSelectConfig`` sent when the app's own config cannot be read."""
    is_image = file_type == "img"
    return {
        "canSelectFile": not is_image,
        "canSelectImg": is_image,
        "canSelectVideo": False,
        "canSelectAudio": False,
        "canSelectCustomFileExtension": False,
        "customFileExtensionList": [],
    }


class AsyncChatFiles(AsyncFastGPTClient):
    """Presign, upload and reference chat files; swap inline images for uploaded ones."""

    async def _get_chat_file_select_config(self, appId: str, chatId: str) -> dict[str, Any] | None:
        """The app's ``chatConfig.fileSelectConfig``, or ``None`` when it cannot be read."""
        try:
            data: Any = await self.chat.histories.init(appId, chatId)
        except (APIError, ValueError):
            return None
        app = data.get("app") if isinstance(data, dict) else None
        chat_config = app.get("chatConfig") if isinstance(app, dict) else None
        config = chat_config.get("fileSelectConfig") if isinstance(chat_config, dict) else None
        return config if isinstance(config, dict) else None

    @staticmethod
    def _default_file_select_config(file_type: str) -> dict[str, Any]:
        return default_file_select_config(file_type)

    async def presign_chat_file_post_url(
        self,
        *,
        appId: str,
        chatId: str,
        filename: str,
        fileSelectConfig: dict[str, Any] | None = None,
        outLinkAuthData: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Ask for a presigned upload (``url`` plus ``fields`` for POST, or ``headers`` for PUT).

        A wrapper over ``chat.files.presign_post_url``; ``outLinkAuthData`` travels with the API key.
        """
        data: Any = await self.chat.files.presign_post_url(
            appId,
            chatId,
            filename,
            file_select_config=fileSelectConfig or default_file_select_config("img"),
            extra_body={"outLinkAuthData": outLinkAuthData} if outLinkAuthData else None,
        )
        if not isinstance(data, dict):
            raise APIError("Invalid presigned upload response", 200, data)
        return data

    async def presign_chat_file_get_url(
        self,
        *,
        appId: str,
        key: str,
        outLinkAuthData: dict[str, Any] | None = None,
    ) -> str:
        """A temporary download/preview URL for an uploaded chat file (``chat.files.presign_get_url``)."""
        data: Any = await self.chat.files.presign_get_url(
            appId, key, extra_body={"outLinkAuthData": outLinkAuthData} if outLinkAuthData else None
        )
        if not isinstance(data, str):
            raise APIError("Invalid presigned preview response", 200, data)
        return data

    async def upload_to_presigned_url(
        self,
        *,
        upload_url: str,
        file_path: FileInput,
        headers: dict[str, str] | None = None,
        fields: dict[str, Any] | None = None,
        method: Literal["POST", "PUT"] | None = None,
        filename: str | None = None,
    ) -> httpx.Response:
        """Upload to a presigned S3/MinIO URL: a multipart POST form (``fields``) or a PUT."""
        upload = open_upload(file_path, filename)
        upload_method = method or ("POST" if fields else "PUT")
        if upload_method not in ("POST", "PUT"):
            upload.close()
            raise ValueError("method must be 'POST' or 'PUT'")
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                if upload_method == "POST":
                    response = await client.post(
                        upload_url,
                        data=fields or {},
                        files={"file": (upload.filename, upload.stream, upload.content_type)},
                    )
                else:
                    upload_headers = dict(headers or {})
                    upload_headers.setdefault("Content-Type", upload.content_type)
                    response = await client.put(upload_url, content=upload.stream.read(), headers=upload_headers)
        finally:
            upload.close()
        response.raise_for_status()
        return response

    async def upload_chat_file(
        self,
        *,
        appId: str,
        chatId: str,
        file_path: FileInput,
        file_type: Literal["img", "doc"] = "doc",
        fileSelectConfig: dict[str, Any] | None = None,
        outLinkAuthData: dict[str, Any] | None = None,
        filename: str | None = None,
    ) -> dict[str, Any]:
        """Presign, upload and describe a chat file: ``{type, name, key, url, previewUrl}``."""
        upload = open_upload(file_path, filename)
        upload.close()
        selected_config = (
            fileSelectConfig
            or await self._get_chat_file_select_config(appId=appId, chatId=chatId)
            or default_file_select_config(file_type)
        )
        presigned = await self.presign_chat_file_post_url(
            appId=appId,
            chatId=chatId,
            filename=upload.filename,
            fileSelectConfig=selected_config,
            outLinkAuthData=outLinkAuthData,
        )
        max_size = presigned.get("maxSize")
        if isinstance(max_size, int) and upload.size > max_size:
            raise ValueError(f"File too large: {upload.size} bytes > {max_size} bytes")
        fields = presigned.get("fields") if isinstance(presigned.get("fields"), dict) else None
        await self.upload_to_presigned_url(
            upload_url=str(presigned["url"]),
            file_path=file_path,
            headers=presigned.get("headers"),
            fields=fields,
            filename=upload.filename,
        )
        key = presigned.get("key") or (fields or {}).get("key")
        preview_url = presigned.get("previewUrl")
        if not preview_url and key:
            preview_url = await self.presign_chat_file_get_url(
                appId=appId, key=str(key), outLinkAuthData=outLinkAuthData
            )
        return {"type": file_type, "name": upload.filename, "key": key, "url": preview_url, "previewUrl": preview_url}

    async def upload_chat_image(
        self,
        *,
        appId: str,
        chatId: str,
        file_path: FileInput,
        fileSelectConfig: dict[str, Any] | None = None,
        outLinkAuthData: dict[str, Any] | None = None,
        filename: str | None = None,
    ) -> dict[str, Any]:
        """Upload an image for ``image_url`` content parts (see :meth:`upload_chat_file`)."""
        return await self.upload_chat_file(
            appId=appId,
            chatId=chatId,
            file_path=file_path,
            file_type="img",
            fileSelectConfig=fileSelectConfig,
            outLinkAuthData=outLinkAuthData,
            filename=filename,
        )

    async def _resolve_image_inputs(
        self,
        messages: list[dict[str, Any]],
        *,
        appId: str,
        chatId: str,
        outLinkAuthData: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Copies of ``messages`` whose inline base64 images are replaced by uploaded URLs."""
        resolved: list[dict[str, Any]] = []
        for message in messages:
            content = message.get("content")
            if not isinstance(content, list):
                resolved.append(message)
                continue
            new_content: list[Any] = []
            for part in content:
                url = None
                if isinstance(part, dict) and part.get("type") == "image_url":
                    image = part.get("image_url")
                    url = image.get("url") if isinstance(image, dict) else None
                if isinstance(url, str) and is_data_url(url):
                    hosted = await self._upload_data_url(
                        url, appId=appId, chatId=chatId, outLinkAuthData=outLinkAuthData
                    )
                    new_content.append(image_url_part(hosted))
                else:
                    new_content.append(part)
            resolved.append({**message, "content": new_content})
        return resolved

    async def _upload_data_url(
        self,
        data_url: str,
        *,
        appId: str,
        chatId: str,
        outLinkAuthData: dict[str, Any] | None = None,
    ) -> str:
        """Upload a base64 data URL; return the hosted URL, or the data URL itself on failure."""
        try:
            mime_type, raw = decode_data_url(data_url)
        except ValueError as exc:
            self.logger.warning("Skipping image upload; invalid base64 data URL: %s", exc)
            return data_url
        suffix = mimetypes.guess_extension(mime_type) or ".jpg"
        try:
            result = await self.upload_chat_image(
                appId=appId,
                chatId=chatId,
                file_path=raw,
                filename=f"image{suffix}",
                outLinkAuthData=outLinkAuthData,
            )
        except (APIError, httpx.HTTPError, ValueError, KeyError, OSError) as exc:
            self.logger.warning("Image upload failed; using inline base64: %s", exc)
            return data_url
        url = result.get("url")
        if isinstance(url, str) and url:
            return url
        self.logger.warning("Image upload returned no url; using inline base64")
        return data_url
