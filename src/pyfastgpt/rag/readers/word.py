""".docx → markdown with python-docx: headings, list items, hyperlinks and tables in body order."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

from pyfastgpt.rag.readers.archive import check_ooxml
from pyfastgpt.rag.readers.errors import CorruptFile
from pyfastgpt.rag.readers.registry import ReadContext, ReadResult, reader_for
from pyfastgpt.rag.readers.text import rows_to_markdown

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _paragraph_text(paragraph: Paragraph) -> str:
    parts: list[str] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            text, url = item.text, item.url
            parts.append(f"[{text}]({url})" if url and text else text)
        else:
            parts.append(item.text)
    return "".join(parts).strip()


class _StyleNames:
    """Paragraph style names by style id, looked up once (python-docx's ``paragraph.style``
    scans every style on each call, which made long documents quadratic)."""

    def __init__(self, document: DocumentObject) -> None:
        self.names: dict[str, str] = {}
        self.default = ""
        for style in document.styles:
            style_id = getattr(style, "style_id", None)
            if style_id:
                self.names[style_id] = style.name or ""
                if getattr(style, "type", None) == WD_STYLE_TYPE.PARAGRAPH and style.element.default:
                    self.default = style.name or ""

    def of(self, paragraph: Paragraph) -> str:
        style_id = paragraph._p.style
        return self.names.get(style_id, self.default) if style_id else self.default


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    found = _HEADING_STYLE.match(style)
    return min(int(found.group(1)), 6) if found else 0


def _is_list_item(paragraph: Paragraph, style: str) -> bool:
    if style.lower().startswith("list"):
        return True
    properties: Any = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _table_markdown(table: Table) -> str:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous: object = None
        for cell in row.cells:
            if cell._tc is previous:  # merged cells repeat the same element; keep one copy
                cells.append("")
                continue
            previous = cell._tc
            cells.append(cell.text.strip().replace("\n", "\\n").replace("|", "\\|"))
        rows.append(cells)
    return rows_to_markdown(rows)


def docx_to_markdown(document: DocumentObject) -> str:
    styles = _StyleNames(document)
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            table = _table_markdown(item)
            if table:
                blocks.append(table)
            continue
        text = _paragraph_text(item)
        if not text:
            continue
        style = styles.of(item)
        level = _heading_level(style)
        if level:
            blocks.append(f"{'#' * level} {text}")
        elif _is_list_item(item, style):
            blocks.append(f"- {text}")
        else:
            blocks.append(text)
    merged: list[str] = []
    for block in blocks:  # consecutive list items form one list
        if merged and block.startswith("- ") and merged[-1].split("\n")[-1].startswith("- "):
            merged[-1] += "\n" + block
        else:
            merged.append(block)
    return "\n\n".join(merged)


@reader_for("docx")
def read_docx(data: bytes, ctx: ReadContext) -> ReadResult:
    check_ooxml(data, ctx, required="word/document.xml")
    try:
        document = docx.Document(io.BytesIO(data))
        text = docx_to_markdown(document)
    except (KeyError, ValueError, AttributeError, TypeError) as error:
        raise CorruptFile("The .docx document could not be parsed", name=ctx.name) from error
    title = document.core_properties.title or ""
    return ReadResult(text=text, format="docx", title=title)
