"""``client.apps``: applications and their published versions."""

from fastgpt_client._async.resources.apps.apps import AsyncApps
from fastgpt_client._async.resources.apps.versions import AsyncVersions

__all__ = ["AsyncApps", "AsyncVersions"]
