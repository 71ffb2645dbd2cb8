"""`StoredFileReader`: the workflow's `FileReader` for document links in chat messages.

Our own signed URLs are read through the store: the local backend's ``/api/system/file/read/…``
straight from disk after the HMAC check (no HTTP round trip, no dependence on the server's external
address), presigned URLs into our S3 bucket from the configured endpoint (S3 checks the signature).
A forged or expired own link is refused, never read. Any other http(s) link is fetched with the
knowledge-base link reader (public addresses only unless `LINK_FETCH_ALLOW_PRIVATE`,
`LINK_FETCH_TIMEOUT_S`, `LINK_FETCH_MAX_BYTES`, redirects re-checked). Bytes become text through the document readers (`rag.readers`).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from pyfastgpt.core.config import Settings
from pyfastgpt.core.errors import NotFound, PermissionDenied
from pyfastgpt.rag.readers import LinkFetchError, ReadLimits, aread_file, fetch_link
from pyfastgpt.rag.readers.errors import FileTooLarge
from pyfastgpt.store.objects import ObjectMissing, ObjectStore, ObjectTooLarge, SignatureInvalid


class StoredFileReader:
    def __init__(self, store: ObjectStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def read(self, url: str) -> str:
        limit = self.settings.upload_max_bytes
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or url
        try:
            own = await self.store.read_url(url, max_bytes=limit)
        except SignatureInvalid as error:
            raise PermissionDenied(f"The link to {name} is forged or has expired", key="unAuthFile") from error
        except ObjectMissing as error:
            raise NotFound(f"The file {name} does not exist", key="fileNotFound") from error
        except ObjectTooLarge as error:
            raise FileTooLarge(f"The file is larger than {limit} bytes", name=name) from error
        if own is not None:
            info, data = own
            name = unquote(info.key.rsplit("/", 1)[-1])
            return (await aread_file(name, data, limits=ReadLimits(max_bytes=limit))).text
        if urlsplit(url).scheme not in ("http", "https"):
            raise LinkFetchError(f"Only http(s) links and uploaded files can be read: {url[:200]}", name=url)
        result = await fetch_link(
            url,
            timeout_s=self.settings.link_fetch_timeout_s,
            max_bytes=self.settings.link_fetch_max_bytes,
            allow_private=self.settings.link_fetch_allow_private,
        )
        return result.text
