"""Objects in an S3-compatible bucket (AWS, MinIO, moto) through aioboto3, path-style addressing.

Uploads are presigned POST forms by default: their policy makes S3 itself refuse bodies over
``max_size`` and a different ``Content-Type``. Presigned PUT URLs (the FastGPT 4.16 shape) sign the
content type too but cannot cap the size. One client is opened lazily and kept until `aclose()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import unquote, urlsplit

import aioboto3
import httpx
from botocore.config import Config
from botocore.exceptions import ClientError

from pyfastgpt.store.objects.base import (
    CHUNK_SIZE,
    Body,
    ObjectInfo,
    ObjectMissing,
    ObjectTooLarge,
    PresignedUpload,
    UploadMethod,
    body_chunks,
    key_segments,
)
from pyfastgpt.store.objects.signing import SignatureInvalid

_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3ObjectStore:
    backend = "s3"
    upload_method: UploadMethod = "POST"

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str = "",
        region: str = "us-east-1",
        access_key: str = "",
        secret_key: str = "",
        create_bucket: bool = True,
    ) -> None:
        self.bucket = bucket
        self.endpoint_url = endpoint_url.rstrip("/") or None
        self.region = region
        self._session = aioboto3.Session(
            aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None, region_name=region
        )
        self._config = Config(signature_version="s3v4", s3={"addressing_style": "path"})
        self._create_bucket = create_bucket
        self._stack: AsyncExitStack | None = None
        self._client: Any = None
        self._lock = asyncio.Lock()

    async def _s3(self) -> Any:
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                stack = AsyncExitStack()
                try:
                    client = await stack.enter_async_context(
                        self._session.client("s3", endpoint_url=self.endpoint_url, config=self._config)
                    )
                    if self._create_bucket:
                        await self._ensure_bucket(client)
                except BaseException:
                    await stack.aclose()
                    raise
                self._stack, self._client = stack, client
        return self._client

    async def _ensure_bucket(self, client: Any) -> None:
        try:
            await client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            if _code(error) not in _MISSING_CODES | {"NoSuchBucket"}:
                raise
            extra = (
                {} if self.region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": self.region}}
            )
            await client.create_bucket(Bucket=self.bucket, **extra)

    async def put(self, key: str, body: Body, content_type: str, *, max_bytes: int | None = None) -> ObjectInfo:
        key_segments(key)
        data = b"".join([chunk async for chunk in body_chunks(body, max_bytes)])
        s3 = await self._s3()
        await s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)
        return ObjectInfo(key=key, size=len(data), content_type=content_type)

    async def get(self, key: str) -> AsyncIterator[bytes]:
        key_segments(key)
        s3 = await self._s3()
        try:
            response = await s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                raise ObjectMissing(key) from error
            raise
        stream = response["Body"]
        try:
            async for chunk in stream.iter_chunks(CHUNK_SIZE):
                yield chunk
        finally:
            stream.close()

    async def read(self, key: str, *, max_bytes: int | None = None) -> bytes:
        info = await self.stat(key)
        if info is None:
            raise ObjectMissing(key)
        if max_bytes is not None and info.size > max_bytes:
            raise ObjectTooLarge(f"The object is larger than {max_bytes} bytes")
        return b"".join([chunk async for chunk in self.get(key)])

    async def stat(self, key: str) -> ObjectInfo | None:
        key_segments(key)
        s3 = await self._s3()
        try:
            head = await s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                return None
            raise
        return ObjectInfo(
            key=key,
            size=int(head.get("ContentLength", 0)),
            content_type=str(head.get("ContentType") or "application/octet-stream"),
        )

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def delete(self, key: str) -> None:
        key_segments(key)
        s3 = await self._s3()
        await s3.delete_object(Bucket=self.bucket, Key=key)

    async def presign_upload(
        self,
        key: str,
        *,
        max_size: int,
        content_type: str,
        expires_s: int,
        method: UploadMethod | None = None,
        base_url: str | None = None,
    ) -> PresignedUpload:
        key_segments(key)
        s3 = await self._s3()
        if (method or self.upload_method) == "PUT":
            url = await s3.generate_presigned_url(
                "put_object",
                Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type},
                ExpiresIn=expires_s,
            )
            return PresignedUpload(url=str(url), method="PUT", headers={"Content-Type": content_type})
        post = await s3.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 0, max_size]],
            ExpiresIn=expires_s,
        )
        fields = {str(name): str(value) for name, value in post["fields"].items()}
        return PresignedUpload(url=str(post["url"]), method="POST", fields=fields)

    async def presign_get(self, key: str, *, expires_s: int, base_url: str | None = None) -> str:
        key_segments(key)
        s3 = await self._s3()
        url = await s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_s
        )
        return str(url)

    def key_from_url(self, url: str) -> str | None:
        """The key of a path-style URL into our bucket on our endpoint (the signature is S3's to check)."""
        if self.endpoint_url is None:
            return None
        parts, endpoint = urlsplit(url), urlsplit(self.endpoint_url)
        if (parts.scheme, parts.netloc) != (endpoint.scheme, endpoint.netloc):
            return None
        prefix = f"{endpoint.path.rstrip('/')}/{self.bucket}/"
        if not parts.path.startswith(prefix):
            return None
        key = unquote(parts.path[len(prefix) :])
        try:
            key_segments(key)
        except ValueError:
            return None
        return key

    async def read_url(self, url: str, *, max_bytes: int | None = None) -> tuple[ObjectInfo, bytes] | None:
        """GET the presigned URL itself, so S3 checks its signature and expiry; only URLs into our
        bucket on our endpoint are fetched (the host is configuration, not user input)."""
        key = self.key_from_url(url)
        if key is None:
            return None
        async with httpx.AsyncClient(timeout=60, follow_redirects=False) as http, http.stream("GET", url) as response:
            if response.status_code in (401, 403):
                raise SignatureInvalid("S3 refused the signed link (forged or expired)")
            if response.status_code == 404:
                raise ObjectMissing(key)
            response.raise_for_status()
            chunks = [chunk async for chunk in body_chunks(response.aiter_bytes(), max_bytes)]
            content_type = response.headers.get("content-type", "application/octet-stream")
        data = b"".join(chunks)
        return ObjectInfo(key=key, size=len(data), content_type=content_type), data

    async def aclose(self) -> None:
        if self._stack is not None:
            stack, self._stack, self._client = self._stack, None, None
            await stack.aclose()


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
