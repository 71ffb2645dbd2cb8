"""All tables, imported so that `Base.metadata` knows every one of them."""

from pyfastgpt.store.models.app import App, AppVersion
from pyfastgpt.store.models.base import Base
from pyfastgpt.store.models.chat import AppChatLog, Chat, ChatItem, ChatItemResponse
from pyfastgpt.store.models.dataset import (
    Dataset,
    DatasetCollection,
    DatasetData,
    DatasetDataIndex,
    TrainingJob,
)
from pyfastgpt.store.models.files import StoredFile, UsageRecord
from pyfastgpt.store.models.mcp import McpKey
from pyfastgpt.store.models.stream import ChatStreamEvent
from pyfastgpt.store.models.team import ApiKey, ShareLink, SystemSetting, Team, TeamMember

__all__ = [
    "ApiKey",
    "App",
    "AppChatLog",
    "AppVersion",
    "Base",
    "Chat",
    "ChatItem",
    "ChatItemResponse",
    "ChatStreamEvent",
    "Dataset",
    "DatasetCollection",
    "DatasetData",
    "DatasetDataIndex",
    "McpKey",
    "ShareLink",
    "StoredFile",
    "SystemSetting",
    "Team",
    "TeamMember",
    "TrainingJob",
    "UsageRecord",
]

# Knowledge-base index tables live with their adapters; importing them registers them on `Base.metadata`.
import pyfastgpt.store.fulltext.tables
import pyfastgpt.store.models.analytics
import pyfastgpt.store.models.chat_counts
import pyfastgpt.store.models.frequency_limit
import pyfastgpt.store.vector.tables  # noqa: F401  (dataset_vectors)
