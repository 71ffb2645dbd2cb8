"""One error tree for the server, carrying FastGPT's codes.

    AppError                      code, status_text (FastGPT's key), message, http_status
    ├── AuthError                 401: missing, unknown or malformed credential
    │   └── ApiKeyInvalid         unAuthApiKey (514)
    ├── PermissionDenied          403: a valid credential without rights (unAuthorization)
    │   └── (per-resource keys)   unAuthApp, unAuthChat, unAuthDataset, openapiUnAuth, …
    ├── NotFound                  404-style FastGPT codes: appUnExist, unExistDataset, …
    ├── InvalidRequest            400/422: bad body or parameters (invalidParams, missingParams)
    ├── Conflict                  409: chatIsGenerating, …
    ├── TooManyRequests           429: tooManyRequest (+ Retry-After)
    ├── LimitExceeded             403: openapiExceedLimit, quota and usage limits
    └── UpstreamError             502: a model or remote service failed

Each instance renders as FastGPT's envelope ``{code, statusText, message, data}``. The HTTP status
is a real one (401 for bad keys, 403 for refused rights, 404 for missing resources, 4xx for bad
input), which is what OpenAI-style clients need; ``code`` stays FastGPT's number.
"""

from __future__ import annotations

from typing import Any, ClassVar

# statusText key -> (FastGPT code, default message)
ERROR_CODES: dict[str, tuple[int, str]] = {
    # global
    "unAuthorization": (403, "Credential error: missing or invalid credential"),
    "tooManyRequest": (429, "Too many requests"),
    "insufficientQuota": (510, "Insufficient account balance"),
    "unAuthModel": (511, "Unauthorized to operate this model"),
    "unAuthFile": (513, "Unauthorized to read this file"),
    "unAuthApiKey": (514, "Invalid API key"),
    # team 500000
    "teamOverSize": (500000, "Team is over size"),
    "unAuthTeam": (500001, "Unauthorized to operate this team"),
    "aiPointsNotEnough": (500002, "AI points are used up"),
    # dataset 501000
    "sameApiCollection": (501000, "The API collection already exists"),
    "notSupportSync": (501001, "This collection does not support sync"),
    "unExistDataset": (501002, "Dataset does not exist"),
    "unExistCollection": (501003, "Collection does not exist"),
    "unAuthDataset": (501004, "Unauthorized to operate this dataset"),
    "unAuthDatasetCollection": (501005, "Unauthorized to operate this collection"),
    "unAuthDatasetData": (501006, "Unauthorized to operate this data"),
    "unAuthDatasetFile": (501007, "Unauthorized to operate this file"),
    "unCreateCollection": (501008, "Unauthorized to create a collection"),
    "unLinkCollection": (501009, "Not a link collection"),
    "invalidVectorModelOrQAModel": (501010, "Invalid vector model or QA model"),
    # app 502000
    "appUnExist": (502000, "Application does not exist"),
    "unAuthApp": (502001, "Unauthorized to operate this application"),
    "invalidOwner": (502002, "Invalid owner"),
    "invalidAppType": (502003, "Invalid application type"),
    # chat 504000
    "unAuthChat": (504000, "Unauthorized to operate this chat record"),
    "chatIsGenerating": (504001, "The chat is still generating"),
    # share links 505000
    "outlinkUnExist": (505000, "Share link does not exist"),
    "unAuthLink": (505001, "Invalid share link"),
    "linkUnInvalid": (501, "Share link is invalid"),
    "unAuthUser": (505003, "Identity verification failed"),
    # api keys 506000
    "openapiUnExist": (506000, "API key does not exist"),
    "openapiUnAuth": (506001, "Unauthorized to operate this API key"),
    "openapiExceedLimit": (506002, "API key limit reached"),
    # common 507000
    "invalidParams": (507000, "Invalid parameters"),
    "invalidResource": (507001, "Invalid resource"),
    "fileNotFound": (507002, "File not found"),
    "missingParams": (507004, "Missing parameters"),
    "unsupportedFileType": (507009, "Unsupported file type"),
    # generic
    "error": (500, "Internal error"),
}


class AppError(Exception):
    """Base of every error the API turns into FastGPT's envelope."""

    http_status: ClassVar[int] = 500
    default_key: ClassVar[str] = "error"

    def __init__(
        self,
        message: str | None = None,
        *,
        key: str | None = None,
        data: Any = None,
        http_status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.key = key or self.default_key
        code, default_message = ERROR_CODES.get(self.key, (500, self.key))
        self.code = code
        self.message = message or default_message
        self.data = data
        self.headers = headers or {}
        if http_status is not None:
            self.status = http_status
        else:
            self.status = type(self).http_status
        super().__init__(self.message)

    def envelope(self) -> dict[str, Any]:
        return {"code": self.code, "statusText": self.key, "message": self.message, "data": self.data}


class AuthError(AppError):
    http_status = 401
    default_key = "unAuthorization"


class ApiKeyInvalid(AuthError):
    default_key = "unAuthApiKey"


class PermissionDenied(AppError):
    http_status = 403
    default_key = "unAuthorization"


class LimitExceeded(AppError):
    http_status = 403
    default_key = "openapiExceedLimit"


class NotFound(AppError):
    http_status = 404
    default_key = "invalidResource"


class InvalidRequest(AppError):
    http_status = 400
    default_key = "invalidParams"


class Conflict(AppError):
    http_status = 409
    default_key = "chatIsGenerating"


class TooManyRequests(AppError):
    http_status = 429
    default_key = "tooManyRequest"

    def __init__(self, message: str | None = None, *, retry_after: int = 60, **kwargs: Any) -> None:
        headers = {"Retry-After": str(retry_after)}
        super().__init__(message, headers=headers, **kwargs)


class UpstreamError(AppError):
    http_status = 502
    default_key = "error"
