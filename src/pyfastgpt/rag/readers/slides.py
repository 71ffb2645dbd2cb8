""".pptx → markdown with python-pptx: one section per slide (title as a heading, text, tables)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from pyfastgpt.rag.readers.archive import check_ooxml
from pyfastgpt.rag.readers.errors import CorruptFile, FileTooLarge
from pyfastgpt.rag.readers.registry import ReadContext, ReadResult, reader_for
from pyfastgpt.rag.readers.text import rows_to_markdown


def _shape_blocks(shapes: Iterable[Any], title_id: int | None) -> list[str]:
    blocks: list[str] = []
    ordered = sorted(shapes, key=lambda s: ((s.top or 0), (s.left or 0)))
    for shape in ordered:
        if shape.shape_id == title_id:
            continue
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            blocks += _shape_blocks(shape.shapes, None)
        elif getattr(shape, "has_table", False) and shape.has_table:
            rows = [
                [cell.text.strip().replace("\n", "\\n").replace("|", "\\|") for cell in row.cells]
                for row in shape.table.rows
            ]
            blocks.append(rows_to_markdown(rows))
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            lines = []
            for paragraph in shape.text_frame.paragraphs:
                text = "".join(run.text for run in paragraph.runs).strip()
                if text:
                    lines.append(("  " * paragraph.level + "- " + text) if paragraph.level else text)
            if lines:
                blocks.append("\n".join(lines))
    return blocks


@reader_for("pptx")
def read_pptx(data: bytes, ctx: ReadContext) -> ReadResult:
    check_ooxml(data, ctx, required="ppt/presentation.xml")
    try:
        presentation = Presentation(io.BytesIO(data))
        if len(presentation.slides) > ctx.limits.max_pages:
            raise FileTooLarge("The presentation has more slides than allowed", name=ctx.name)
        pages: list[str] = []
        for slide in presentation.slides:
            title_shape = slide.shapes.title
            blocks = []
            if title_shape is not None and title_shape.text_frame.text.strip():
                blocks.append("## " + " ".join(title_shape.text_frame.text.split()))
            blocks += _shape_blocks(slide.shapes, title_shape.shape_id if title_shape is not None else None)
            pages.append("\n\n".join(blocks))
    except (KeyError, ValueError, AttributeError, TypeError) as error:
        raise CorruptFile("The .pptx presentation could not be parsed", name=ctx.name) from error
    return ReadResult(text="\n\n".join(p for p in pages if p), format="pptx", pages=pages)
