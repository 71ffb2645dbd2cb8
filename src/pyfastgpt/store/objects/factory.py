"""`build_object_store(settings)`: the backend `STORAGE_BACKEND` names."""

from __future__ import annotations

from pyfastgpt.core.config import Settings
from pyfastgpt.store.objects.base import ObjectStore
from pyfastgpt.store.objects.local import LocalObjectStore
from pyfastgpt.store.objects.s3 import S3ObjectStore
from pyfastgpt.store.objects.signing import UrlSigner, resolve_secret


def build_object_store(settings: Settings) -> ObjectStore:
    if settings.storage_backend == "s3":
        return S3ObjectStore(
            bucket=settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
        )
    signer = UrlSigner(resolve_secret(settings.file_url_secret, settings.data_dir))
    return LocalObjectStore(settings.data_dir / "files", signer, public_base_url=settings.public_base_url)
