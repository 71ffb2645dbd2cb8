"""Chat files: presigned uploads and reads, the workflow's file reader, image inlining."""

from pyfastgpt.core.config import Settings
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.files.images import ImageInliner
from pyfastgpt.services.files.reader import StoredFileReader
from pyfastgpt.services.files.service import ChatFileService, ChatUpload
from pyfastgpt.store.db import Database
from pyfastgpt.store.objects import ObjectStore, build_object_store

__all__ = ["ChatFileService", "ChatUpload", "ImageInliner", "StoredFileReader", "build_chat_files"]


def build_chat_files(
    settings: Settings, db: Database, apps: AppService, store: ObjectStore | None = None
) -> ChatFileService:
    """A `ChatFileService` over `store` (default: `build_object_store(settings)`)."""
    return ChatFileService(settings=settings, db=db, apps=apps, store=store or build_object_store(settings))
