"""Typed shapes of FastGPT payloads (``TypedDict``s: the JSON stays a plain ``dict``).

Wire names (``chatId``, ``_id``…) are kept as they travel; every key is optional
(``total=False``) because servers add and drop fields across versions.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypedDict, TypeVar

_ItemT = TypeVar("_ItemT")

TrainingType = Literal["chunk", "qa", "auto", "imageParse", "backup", "template"]
ChatSource = Literal[
    "test", "online", "share", "api", "cronJob", "team", "feishu", "official_account", "wecom", "wechat", "mcp"
]
Timespan = Literal["day", "week", "month", "quarter"]


class Page(TypedDict, Generic[_ItemT], total=False):
    """One page of a paginated list."""

    list: list[_ItemT]
    total: int


class LegacyPage(TypedDict, Generic[_ItemT], total=False):
    """One page of an older ``pageNum`` route (``collection/list``)."""

    pageNum: int
    pageSize: int
    data: list[_ItemT]
    total: int


# -- chat ------------------------------------------------------------------------------------
class ChatMessage(TypedDict, total=False):
    role: str
    content: Any
    reasoning_content: str


class ChatCompletionChoice(TypedDict, total=False):
    index: int
    message: ChatMessage
    finish_reason: str | None


class CompletionUsage(TypedDict, total=False):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(TypedDict, total=False):
    """Non-stream answer of ``/api/v1/chat/completions`` (OpenAI shape + FastGPT extras)."""

    id: str
    object: str
    created: int
    model: str
    choices: list[ChatCompletionChoice]
    usage: CompletionUsage
    title: str
    error: Any
    responseData: list[dict[str, Any]]
    newVariables: dict[str, Any]


class StopResult(TypedDict, total=False):
    """``POST /api/v2/chat/stop``: whether a running workflow was found and stopped."""

    stopped: bool


# -- chat histories, records, files -----------------------------------------------------------
class ChatHistory(TypedDict, total=False):
    """One conversation of ``getHistories``."""

    chatId: str
    appId: str
    title: str
    customTitle: str
    top: bool
    updateTime: str
    chatGenerateStatus: int


class ChatRecord(TypedDict, total=False):
    """One message of ``getPaginationRecords`` / ``getRecords_v2`` (``obj``: ``Human``, ``AI``, ``System``)."""

    _id: str
    id: str
    dataId: str
    obj: str
    value: list[Any]
    time: str
    hideInUI: bool
    userGoodFeedback: str
    userBadFeedback: str
    adminFeedback: dict[str, Any]
    customFeedbacks: list[str]
    durationSeconds: float
    errorMsg: str
    totalQuoteList: list[Any]
    responseData: list[dict[str, Any]]


class RecordsCursorPage(TypedDict, total=False):
    """An answer of ``record/getRecords_v2`` (cursor paging around ``initialId``/``prevId``/``nextId``)."""

    list: list[ChatRecord]
    total: int
    hasMorePrev: bool
    hasMoreNext: bool


class ChatInit(TypedDict, total=False):
    """``GET /api/core/chat/init`` (and ``outLink/init``): app settings plus the chat's title and variables."""

    chatId: str
    appId: str
    title: str
    userAvatar: str
    variables: dict[str, Any]
    app: dict[str, Any]


class PresignedUpload(TypedDict, total=False):
    """A presigned chat-file upload: ``fields`` for a POST form (S3) or ``headers`` for a PUT."""

    url: str
    key: str
    method: str
    maxSize: int
    previewUrl: str
    fields: dict[str, str]
    headers: dict[str, str]


class ModelInfo(TypedDict, total=False):
    """One item of ``/api/core/ai/model/list`` (FastGPT's ``ModelListItem``)."""

    id: str
    model: str
    name: str
    type: str
    provider: str
    avatar: str
    isActive: bool
    isDefault: bool
    contextToken: int
    vision: bool
    toolChoice: bool
    functionCall: bool
    reasoning: bool
    maxResponse: int
    defaultToken: int
    maxToken: int
    dimension: int
    charsPointsPrice: float
    inputPrice: float
    outputPrice: float


# -- datasets --------------------------------------------------------------------------------
class Dataset(TypedDict, total=False):
    _id: str
    parentId: str | None
    type: str
    name: str
    intro: str
    avatar: str
    vectorModel: Any
    agentModel: Any
    vlmModel: Any
    permission: Any
    updateTime: str


class Collection(TypedDict, total=False):
    _id: str
    parentId: str | None
    datasetId: Any
    type: str
    name: str
    tags: list[str]
    forbid: bool
    trainingType: str
    dataAmount: int
    trainingAmount: int
    rawLink: str
    sourceName: str
    createTime: str
    updateTime: str


class CollectionCreateResult(TypedDict, total=False):
    collectionId: str
    results: dict[str, Any]


class DataIndex(TypedDict, total=False):
    type: str
    dataId: str
    text: str


class DataItem(TypedDict, total=False):
    """One chunk to push: ``q`` is required by the server, the rest is optional."""

    q: str
    a: str
    indexes: list[DataIndex]
    chunkIndex: int


class PushDataResult(TypedDict, total=False):
    insertLen: int
    overToken: list[Any]
    repeat: list[Any]
    error: list[Any]


class DatasetData(TypedDict, total=False):
    _id: str
    id: str
    datasetId: str
    collectionId: str
    q: str
    a: str
    chunkIndex: int
    indexes: list[DataIndex]
    sourceName: str
    sourceId: str


class SearchScore(TypedDict, total=False):
    type: str
    value: float
    index: int


class SearchResultItem(TypedDict, total=False):
    id: str
    datasetId: str
    collectionId: str
    sourceName: str
    sourceId: str
    q: str
    a: str
    chunkIndex: int
    score: list[SearchScore]


class SearchTestResult(TypedDict, total=False):
    list: list[SearchResultItem]
    duration: str
    searchMode: str
    limit: int
    similarity: float
    usingReRank: bool
    usingSimilarityFilter: bool


class TrainingQueue(TypedDict, total=False):
    rebuildingCount: int
    trainingCount: int


# -- apps, keys, links, analytics -------------------------------------------------------------
class App(TypedDict, total=False):
    _id: str
    parentId: str | None
    name: str
    avatar: str
    intro: str
    type: str
    modules: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    chatConfig: dict[str, Any]
    version: str
    updateTime: str
    permission: Any


class AppVersion(TypedDict, total=False):
    _id: str
    appId: str
    versionName: str
    isPublish: bool
    time: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    chatConfig: dict[str, Any]


class APIKey(TypedDict, total=False):
    _id: str
    name: str
    apiKey: str
    appId: str | None
    createTime: str
    lastUsedTime: str | None
    usagePoints: float
    limit: dict[str, Any]


class ShareLink(TypedDict, total=False):
    _id: str
    shareId: str
    appId: str
    type: str
    name: str
    showCite: bool
    showRunningStatus: bool
    showFullText: bool
    canDownloadSource: bool
    limit: dict[str, Any]
    usagePoints: float
    lastTime: str


class AppTotalData(TypedDict, total=False):
    totalUsers: int
    totalChats: int
    totalPoints: float


class AppChartData(TypedDict, total=False):
    userData: list[dict[str, Any]]
    chatData: list[dict[str, Any]]
    appData: list[dict[str, Any]]


class ChatLog(TypedDict, total=False):
    _id: str
    chatId: str
    title: str
    customTitle: str
    source: str
    sourceName: str
    createTime: str
    updateTime: str
    messageCount: int
    userGoodFeedbackCount: int
    userBadFeedbackCount: int
    errorCount: int
    totalPoints: float
    outLinkUid: str | None
