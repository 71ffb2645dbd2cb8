""".xlsx → one markdown table per sheet (first non-empty row = header), sheets joined by
FastGPT's ``-----CUSTOM_SPLIT_SIGN-----`` so every sheet is split on its own."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import openpyxl

from pyfastgpt.rag.readers.archive import check_ooxml
from pyfastgpt.rag.readers.errors import CorruptFile, FileTooLarge
from pyfastgpt.rag.readers.registry import ReadContext, ReadResult, reader_for
from pyfastgpt.rag.readers.text import markdown_cell, rows_to_markdown
from pyfastgpt.rag.splitter import CUSTOM_SPLIT_SIGN


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return markdown_cell(value)


@reader_for("xlsx", "xlsm")
def read_xlsx(data: bytes, ctx: ReadContext) -> ReadResult:
    check_ooxml(data, ctx, required="xl/workbook.xml")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError) as error:
        raise CorruptFile("The .xlsx workbook could not be parsed", name=ctx.name) from error
    tables: list[str] = []
    csv_parts: list[str] = []
    sheet_names: list[str] = []
    cells = 0
    try:
        for sheet in workbook.worksheets:
            rows: list[list[str]] = []
            for raw_row in sheet.iter_rows(values_only=True):
                row = [_value(v) for v in raw_row]
                while row and not row[-1]:
                    row.pop()
                if not row:
                    continue
                cells += len(row)
                if cells > ctx.limits.max_cells:
                    raise FileTooLarge("The workbook has more cells than allowed", name=ctx.name)
                rows.append(row)
            if rows:
                sheet_names.append(sheet.title)
                tables.append(rows_to_markdown(rows))
                csv_parts.append("\n".join(",".join(row) for row in rows))
    finally:
        workbook.close()
    return ReadResult(
        text=CUSTOM_SPLIT_SIGN.join(tables),
        format="xlsx",
        raw_text="\n".join(csv_parts),
        metadata={"sheets": sheet_names},
    )
