"""Document readers: uploaded files and web links → markdown-ish text for the splitter.

``read_file(name, data)`` picks a reader by extension from a :class:`ReaderRegistry`; built-in
readers register themselves through the same ``reader_for`` door a plugin uses. ``aread_file``
runs the parse in a worker thread. Untrusted input is capped (:class:`ReadLimits`) and refused
with typed :mod:`errors` (all ``InvalidRequest`` with FastGPT's ``unsupportedFileType`` code).

Formats: txt/md (encoding detection: BOM → declared → UTF-8 → BOM-less UTF-16 → charset-normalizer
for GBK/Big5/…), html (→ markdown), pdf (text per page), docx, pptx (per slide), csv and xlsx
(markdown tables with the header row; xlsx sheets separated by the custom split sign).

Library choice, by measurement (``bench/readers.py``, 2-core machine, same run as a raw-bytes
baseline): PDF text with pypdfium2 (PDFium) runs ≈15–40× faster than pypdf on the same files
and crops running headers/footers by position, so it is the default PDF engine; pypdf remains as
``read_pdf_pypdf``. Office files use python-docx / python-pptx / openpyxl (read-only mode streams
rows); HTML uses BeautifulSoup over lxml, the fastest tree builder installed.
"""

from pyfastgpt.rag.readers import html_md, pdf, sheets, slides, text, word
from pyfastgpt.rag.readers.errors import (
    BinaryContent,
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    FileTooLarge,
    SuspiciousArchive,
    UnreadableFile,
    UnsupportedFileType,
)
from pyfastgpt.rag.readers.html_md import html_to_markdown
from pyfastgpt.rag.readers.link import LinkFetchError, PrivateAddressRefused, fetch_link
from pyfastgpt.rag.readers.registry import (
    ReadContext,
    Reader,
    ReaderRegistry,
    ReadLimits,
    ReadResult,
    aread_file,
    default_registry,
    read_file,
    reader_for,
)
from pyfastgpt.rag.readers.text import decode_text

BUILTIN_READER_MODULES = (text, html_md, pdf, word, slides, sheets)

__all__ = [
    "BUILTIN_READER_MODULES",
    "BinaryContent",
    "CorruptFile",
    "EmptyFile",
    "EncryptedFile",
    "FileTooLarge",
    "LinkFetchError",
    "PrivateAddressRefused",
    "ReadContext",
    "ReadLimits",
    "ReadResult",
    "Reader",
    "ReaderRegistry",
    "SuspiciousArchive",
    "UnreadableFile",
    "UnsupportedFileType",
    "aread_file",
    "decode_text",
    "default_registry",
    "fetch_link",
    "html_to_markdown",
    "read_file",
    "reader_for",
]
