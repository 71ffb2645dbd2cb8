"""Document readers: uploaded files and web links → markdown-ish text for the splitter.

``read_file(name, data)`` picks a reader by extension from a :class:`ReaderRegistry`; built-in
readers register themselves through the same ``reader_for`` door a plugin uses. ``aread_file``
runs the parse in a worker thread. Untrusted input is capped (:class:`ReadLimits`) and refused
with typed :mod:`errors` (all ``InvalidRequest`` with FastGPT's ``unsupportedFileType`` code).

Formats: txt/md (encoding detection: BOM → declared → UTF-8 → BOM-less UTF-16 → charset-normalizer
for GBK/Big5/…), html (→ markdown), pdf (text per page), docx, pptx (per slide), csv and xlsx
(markdown tables with the header row; xlsx sheets separated by the custom split sign).

Library choice, by measurement (``bench/readers.py`` on the shared 2-core machine; figures vary
with load, ratios hold): PDF text with pypdfium2 (PDFium) ran 6–17× faster than pypdf on the same
200-page zh/en file (≈570–1,160 vs ≈70–110 pages/s) with identical text, and it can crop running
headers/footers by position, so it is the default PDF engine; pypdf remains as ``read_pdf_pypdf``.
HTML parses with BeautifulSoup over lxml (1.5–2.3× ``html.parser``). Office files use python-docx
(4–10k paragraphs/s once style names are cached; uncached it was 137/s), python-pptx (110–450
slides/s) and openpyxl in read-only mode (6–11k rows/s); csv ≈100k rows/s; txt/md 16–20 MB/s
against a ≈400 MB/s plain ``bytes.decode`` baseline (the gap is encoding and binary checks).
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
