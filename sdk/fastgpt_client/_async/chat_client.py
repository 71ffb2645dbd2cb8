"""``AsyncChatClient``: the seed SDK's chat methods (each returns the ``httpx.Response``)."""

from __future__ import annotations

import mimetypes
from typing import Any, Literal

import httpx

from fastgpt_client._async._client import AsyncFastGPTClient
from fastgpt_client._exceptions import APIError, ValidationError
from fastgpt_client._files import FileInput, open_upload
from fastgpt_client.images import decode_data_url, image_url_part, is_data_url

PRESIGN_POST_PATHS = ["/api/core/chat/presignChatFilePostUrl", "/api/core/chat/file/presignChatFilePostUrl"]
PRESIGN_GET_PATHS = ["/api/core/chat/presignChatFileGetUrl", "/api/core/chat/file/presignChatFileGetUrl"]


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


def chat_completion_payload(
    messages: list[dict[str, Any]],
    stream: bool,
    chat_id: str | None,
    detail: bool,
    variables: dict[str, Any] | None,
    response_chat_item_id: str | None,
) -> dict[str, Any]:
    """The seed SDK's completion body: optional fields only when truthy."""
    data: dict[str, Any] = {"messages": messages, "stream": stream, "detail": detail}
    if chat_id:
        data["chatId"] = chat_id
    if variables:
        data["variables"] = variables
    if response_chat_item_id:
        data["responseChatItemId"] = response_chat_item_id
    return data


class AsyncChatClient(AsyncFastGPTClient):
    """Chat operations: completions, histories, records, feedback, question guide, chat files.

    ::

        async with AsyncChatClient(api_key="fastgpt-…") as client:
            response = await client.create_chat_completion(messages=[{"role": "user", "content": "Hi"}])
            print(response.json()["choices"][0]["message"]["content"])
    """

    async def create_chat_completion(
        self,
        messages: list[dict[str, Any]],
        stream: bool = False,
        chatId: str | None = None,
        detail: bool = False,
        variables: dict[str, Any] | None = None,
        responseChatItemId: str | None = None,
        *,
        image_input_mode: Literal["base64", "upload"] = "base64",
        appId: str | None = None,
        outLinkAuthData: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """POST ``/api/v1/chat/completions``; with ``stream=True`` the body is left unread.

        ``image_input_mode="upload"`` (needs ``appId`` and ``chatId``) uploads inline base64
        ``image_url`` parts and swaps in the hosted URL, falling back to inline data on failure.
        """
        self._validate_params(messages=messages)
        if image_input_mode == "upload":
            if not appId or not chatId:
                raise ValidationError("image_input_mode='upload' requires both appId and chatId")
            messages = await self._resolve_image_inputs(
                messages, appId=appId, chatId=chatId, outLinkAuthData=outLinkAuthData
            )
        elif image_input_mode != "base64":
            raise ValidationError("image_input_mode must be 'base64' or 'upload'")
        data = chat_completion_payload(messages, stream, chatId, detail, variables, responseChatItemId)
        return await self._send_request("POST", "/api/v1/chat/completions", json=data, stream=stream)

    async def _send_first_available_request(
        self,
        method: str,
        endpoints: list[str],
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """Try endpoint variants in order; return the first answer that is not a 404."""
        last_error: APIError | None = None
        for endpoint in endpoints:
            try:
                return await self._send_request(method, endpoint, json=json, params=params)
            except APIError as exc:
                if exc.status_code != 404:
                    raise
                last_error = exc
        if last_error is not None:
            raise last_error
        raise APIError("No endpoint candidates provided")

    async def _get_chat_file_select_config(self, appId: str, chatId: str) -> dict[str, Any] | None:
        """The app's ``chatConfig.fileSelectConfig``, or ``None`` when it cannot be read."""
        try:
            response = await self.get_chat_init(appId=appId, chatId=chatId)
            data = self._unwrap_response_data(response.json())
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
        """Ask for a presigned upload (``url`` plus ``fields`` for POST, or ``headers`` for PUT)."""
        payload: dict[str, Any] = {
            "appId": appId,
            "chatId": chatId,
            "filename": filename,
            "fileSelectConfig": fileSelectConfig or default_file_select_config("img"),
        }
        if outLinkAuthData:
            payload["outLinkAuthData"] = outLinkAuthData
        response = await self._send_first_available_request("POST", PRESIGN_POST_PATHS, json=payload)
        data = self._unwrap_response_data(response.json())
        if not isinstance(data, dict):
            raise APIError("Invalid presigned upload response", response.status_code, data)
        return data

    async def presign_chat_file_get_url(
        self,
        *,
        appId: str,
        key: str,
        outLinkAuthData: dict[str, Any] | None = None,
    ) -> str:
        """A temporary download/preview URL for an uploaded chat file."""
        payload: dict[str, Any] = {"appId": appId, "key": key}
        if outLinkAuthData:
            payload["outLinkAuthData"] = outLinkAuthData
        response = await self._send_first_available_request("POST", PRESIGN_GET_PATHS, json=payload)
        data = self._unwrap_response_data(response.json())
        if not isinstance(data, str):
            raise APIError("Invalid presigned preview response", response.status_code, data)
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

    async def get_chat_histories(
        self,
        appId: str,
        offset: int = 0,
        pageSize: int = 20,
        source: Literal["api", "online", "share", "test"] = "api",
    ) -> httpx.Response:
        """POST ``/api/core/chat/getHistories``: the app's conversations."""
        data = {"appId": appId, "offset": offset, "pageSize": pageSize, "source": source}
        return await self._send_request("POST", "/api/core/chat/getHistories", json=data, idempotent=True)

    async def get_chat_init(self, appId: str, chatId: str) -> httpx.Response:
        """GET ``/api/core/chat/init``: app config and variables of a conversation."""
        params = {"appId": appId, "chatId": chatId}
        return await self._send_request("GET", "/api/core/chat/init", params=params)

    async def get_chat_records(
        self,
        appId: str,
        chatId: str,
        offset: int = 0,
        pageSize: int = 10,
        loadCustomFeedbacks: bool = False,
    ) -> httpx.Response:
        """POST ``/api/core/chat/getPaginationRecords``: messages of a conversation."""
        data = {
            "appId": appId,
            "chatId": chatId,
            "offset": offset,
            "pageSize": pageSize,
            "loadCustomFeedbacks": loadCustomFeedbacks,
        }
        return await self._send_request("POST", "/api/core/chat/getPaginationRecords", json=data, idempotent=True)

    async def get_record_detail(self, appId: str, chatId: str, dataId: str) -> httpx.Response:
        """GET ``/api/core/chat/getResData``: node responses of one answer."""
        params = {"appId": appId, "chatId": chatId, "dataId": dataId}
        return await self._send_request("GET", "/api/core/chat/getResData", params=params)

    async def update_chat_history(
        self,
        appId: str,
        chatId: str,
        customTitle: str | None = None,
        top: bool | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/chat/updateHistory``: rename or pin a conversation."""
        data: dict[str, Any] = {"appId": appId, "chatId": chatId}
        if customTitle is not None:
            data["customTitle"] = customTitle
        if top is not None:
            data["top"] = top
        return await self._send_request("POST", "/api/core/chat/updateHistory", json=data)

    async def delete_chat_history(self, appId: str, chatId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/delHistory``: remove a conversation."""
        params = {"appId": appId, "chatId": chatId}
        return await self._send_request("DELETE", "/api/core/chat/delHistory", params=params)

    async def clear_chat_histories(self, appId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/clearHistories``: remove the app's API conversations."""
        return await self._send_request("DELETE", "/api/core/chat/clearHistories", params={"appId": appId})

    async def delete_chat_record(self, appId: str, chatId: str, contentId: str) -> httpx.Response:
        """DELETE ``/api/core/chat/item/delete``: remove one message (ids sent in body and query)."""
        data = {"appId": appId, "chatId": chatId, "contentId": contentId}
        return await self._send_request("DELETE", "/api/core/chat/item/delete", json=data, params=dict(data))

    async def send_feedback(
        self,
        appId: str,
        chatId: str,
        dataId: str,
        userGoodFeedback: str | None = None,
        userBadFeedback: str | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/chat/feedback/updateUserFeedback``; an omitted vote is cleared."""
        data: dict[str, Any] = {"appId": appId, "chatId": chatId, "dataId": dataId}
        if userGoodFeedback is not None:
            data["userGoodFeedback"] = userGoodFeedback
        if userBadFeedback is not None:
            data["userBadFeedback"] = userBadFeedback
        return await self._send_request("POST", "/api/core/chat/feedback/updateUserFeedback", json=data)

    async def get_suggested_questions(
        self,
        appId: str,
        chatId: str,
        questionGuide: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """POST ``/api/core/ai/agent/v2/createQuestionGuide``: follow-up questions for a chat."""
        data: dict[str, Any] = {"appId": appId, "chatId": chatId}
        if questionGuide:
            data["questionGuide"] = questionGuide
        return await self._send_request("POST", "/api/core/ai/agent/v2/createQuestionGuide", json=data)

    async def create_question_guide(
        self, appId: str, chatId: str, questionGuide: dict[str, Any] | None = None
    ) -> httpx.Response:
        """Alias of :meth:`get_suggested_questions` (FastGPT's route name)."""
        return await self.get_suggested_questions(appId, chatId, questionGuide)


__all__ = ["AsyncChatClient"]
