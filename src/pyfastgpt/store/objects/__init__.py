"""Object storage: the `ObjectStore` protocol, a local-directory backend and an S3 backend."""

from pyfastgpt.store.objects.base import (
    InvalidKey,
    ObjectInfo,
    ObjectMissing,
    ObjectStore,
    ObjectTooLarge,
    PresignedUpload,
    UploadMethod,
    key_segments,
)
from pyfastgpt.store.objects.factory import build_object_store
from pyfastgpt.store.objects.local import LocalObjectStore
from pyfastgpt.store.objects.s3 import S3ObjectStore
from pyfastgpt.store.objects.signing import SignatureInvalid, UrlSigner, resolve_secret

__all__ = [
    "InvalidKey",
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectMissing",
    "ObjectStore",
    "ObjectTooLarge",
    "PresignedUpload",
    "S3ObjectStore",
    "SignatureInvalid",
    "UploadMethod",
    "UrlSigner",
    "build_object_store",
    "key_segments",
    "resolve_secret",
]
