"""`StoredFileReader`: the workflow's `FileReader` for document links in chat messages.

Our own signed URLs (the local backend's ``/api/system/file/read/…``, or path-style URLs into our
S3 bucket) are read straight from storage — no HTTP round trip, no dependence on the server's
external address. Any other http(s) link is fetched with the knowledge-base link reader (public
addresses only unless `LINK_FETCH_ALLOW_PRIVATE`, `LINK_FETCH_TIMEOUT_S`, `LINK_FETCH_MAX_BYTES`,
redirects re-checked). Bytes become text through the document readers (`rag.readers`).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from pyfastgpt.core.config import Settings
from pyfastgpt.core.errors import NotFound
from pyfastgpt.rag.readers import LinkFetchError, ReadLimits, aread_file, fetch_link
from pyfastgpt.rag.readers.errors import FileTooLarge
from pyfastgpt.store.objects import ObjectMissing, ObjectStore, ObjectTooLarge


class StoredFileReader:
    def __init__(self, store: ObjectStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def read(self, url: str) -> str:
        key = self.store.key_from_url(url)
        if key is not None:
            return await self.read_key(key)
        if urlsplit(url).scheme not in ("http", "https"):
            raise LinkFetchError(f"Only http(s) links and uploaded files can be read: {url[:200]}", name=url)
        result = await fetch_link(
            url,
            timeout_s=self.settings.link_fetch_timeout_s,
            max_bytes=self.settings.link_fetch_max_bytes,
            allow_private=self.settings.link_fetch_allow_private,
        )
        return result.text

    async def read_key(self, key: str) -> str:
        name = unquote(key.rsplit("/", 1)[-1])
        limit = self.settings.upload_max_bytes
        try:
            data = await self.store.read(key, max_bytes=limit)
        except ObjectMissing as error:
            raise NotFound(f"The file {name} does not exist", key="fileNotFound") from error
        except ObjectTooLarge as error:
            raise FileTooLarge(f"The file is larger than {limit} bytes", name=name) from error
        result = await aread_file(name, data, limits=ReadLimits(max_bytes=limit))
        return result.text
