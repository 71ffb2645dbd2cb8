"""Why a document could not be read. All are ``InvalidRequest`` (HTTP 400) with FastGPT's codes.

UnreadableFile                key unsupportedFileType unless noted; ``data={"reason", "name"}``
├── UnsupportedFileType       no reader for the extension
├── EmptyFile                 zero bytes, or no text at all after reading
├── BinaryContent             a "text" file that is not text
├── FileTooLarge              over a size / page / row / uncompressed-size cap
├── SuspiciousArchive         zip entries with an implausible compression ratio (zip bomb)
├── EncryptedFile             password-protected PDF or Office file
└── CorruptFile               the parser failed on malformed content
"""

from __future__ import annotations

from typing import ClassVar

from pyfastgpt.core.errors import InvalidRequest


class UnreadableFile(InvalidRequest):
    default_key = "unsupportedFileType"
    reason: ClassVar[str] = "unreadable"

    def __init__(self, message: str, *, name: str = "") -> None:
        super().__init__(message, data={"reason": self.reason, "name": name})
        self.name = name


class UnsupportedFileType(UnreadableFile):
    reason = "unsupported"


class EmptyFile(UnreadableFile):
    reason = "empty"


class BinaryContent(UnreadableFile):
    reason = "binary"


class FileTooLarge(UnreadableFile):
    reason = "too_large"


class SuspiciousArchive(UnreadableFile):
    reason = "zip_bomb"


class EncryptedFile(UnreadableFile):
    reason = "encrypted"


class CorruptFile(UnreadableFile):
    reason = "corrupt"
