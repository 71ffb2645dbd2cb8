"""Checks on OOXML containers (docx/xlsx/pptx are zip files) before any parser touches them.

The central directory is inspected first: entry count, total uncompressed size and per-entry
compression ratio. ``zipfile`` never inflates an entry past its declared size (a lying header
ends in a CRC error), so the declared sizes bound the memory a parser can be made to use.
"""

from __future__ import annotations

import io
import zipfile

from pyfastgpt.rag.readers.errors import CorruptFile, EncryptedFile, FileTooLarge, SuspiciousArchive
from pyfastgpt.rag.readers.registry import MB, ReadContext

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and legacy .doc/.xls/.ppt
_RATIO_FLOOR = 1 * MB  # small entries compress well legitimately (shared strings, styles)


def check_ooxml(data: bytes, ctx: ReadContext, *, required: str) -> None:
    """Refuse password-protected, malformed or bomb-like Office files; ``required`` is the main
    part that must exist (``word/document.xml``, ``xl/workbook.xml``, ``ppt/presentation.xml``)."""
    if data.startswith(OLE_MAGIC):
        raise EncryptedFile(
            "The file is password-protected or in the legacy binary Office format; "
            "save it unprotected as .docx/.xlsx/.pptx",
            name=ctx.name,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise CorruptFile(f"The file is not a valid .{ctx.extension} document", name=ctx.name) from error
    with archive:
        entries = archive.infolist()
        limits = ctx.limits
        if len(entries) > limits.max_zip_entries:
            raise SuspiciousArchive("The document contains too many parts", name=ctx.name)
        total = 0
        for entry in entries:
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
                raise SuspiciousArchive(
                    f"The document part {entry.filename} expands {ratio:.0f}x when unpacked", name=ctx.name
                )
        if total > limits.max_uncompressed_bytes:
            raise FileTooLarge(
                f"The document unpacks to more than {limits.max_uncompressed_bytes // MB} MB", name=ctx.name
            )
        names = {entry.filename for entry in entries}
        if required not in names:
            raise CorruptFile(f"The file is not a valid .{ctx.extension} document", name=ctx.name)
