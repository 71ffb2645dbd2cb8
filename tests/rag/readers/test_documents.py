"""pdf / docx / pptx / xlsx readers on documents built at test time, and hostile variants of them."""

from __future__ import annotations

import asyncio
import io
import zipfile

import pytest

from pyfastgpt.rag.readers import (
    CorruptFile,
    EncryptedFile,
    FileTooLarge,
    ReadLimits,
    SuspiciousArchive,
    aread_file,
    read_file,
)
from pyfastgpt.rag.readers.pdf import read_pdf_pypdf
from pyfastgpt.rag.readers.registry import ReadContext
from pyfastgpt.rag.splitter import CUSTOM_SPLIT_SIGN, split_text
from tests.rag.readers.makers import PdfPage, encrypt_pdf, make_docx, make_pdf, make_pptx, make_xlsx, make_zip_bomb

REPORT_PAGES = [
    PdfPage(
        ["Annual report 2025.", "Revenue grew in every region and the", "margin improved by two points."],
        header="ACME CONFIDENTIAL",
        footer="Page 1 of 2",
    ),
    PdfPage(
        ["第二章 市场分析。", "海外市场的收入占比", "首次超过一半。"], header="ACME CONFIDENTIAL", footer="Page 2 of 2"
    ),
]


def test_pdf_text_per_page_without_headers_and_footers() -> None:
    result = read_file("report.pdf", make_pdf(REPORT_PAGES))
    assert result.format == "pdf"
    assert result.pages == [
        "Annual report 2025.\nRevenue grew in every region and the margin improved by two points.",
        "第二章 市场分析。\n海外市场的收入占比首次超过一半。",
    ]
    assert "CONFIDENTIAL" not in result.text and "Page 1" not in result.text


def test_pypdf_engine_reads_the_same_body_text() -> None:
    data = make_pdf(REPORT_PAGES)
    result = read_pdf_pypdf(data, ReadContext("r.pdf", "pdf", ReadLimits()))
    assert "Revenue grew in every region and the margin improved by two points." in result.text
    assert "海外市场的收入占比首次超过一半。" in result.text


def test_encrypted_pdf_is_refused() -> None:
    locked = encrypt_pdf(make_pdf(REPORT_PAGES), "s3cret")
    with pytest.raises(EncryptedFile) as caught:
        read_file("locked.pdf", locked)
    assert caught.value.data["reason"] == "encrypted"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", b"not a pdf at all, just words", b"%PDF-" + bytes(300)],
    ids=["truncated", "not-pdf", "garbage"],
)
def test_broken_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(CorruptFile):
        read_file("broken.pdf", data)


def test_pdf_page_cap() -> None:
    data = make_pdf([PdfPage([f"Page {i} text."]) for i in range(5)])
    with pytest.raises(FileTooLarge):
        read_file("many.pdf", data, limits=ReadLimits(max_pages=3))


def test_docx_headings_lists_and_tables() -> None:
    result = read_file("report.docx", make_docx())
    assert result.title == "Quarterly report"
    assert result.text.split("\n\n") == [
        "# 季度报告",
        "本季度收入同比增长百分之十二，主要来自海外市场。",
        "## Highlights",
        "- New customers in three regions\n- Churn fell below two percent",
        "| Region | Revenue | Growth |\n| --- | --- | --- |\n| EMEA | 1.2M | 15% |\n| APAC | 0.8M | 9% |",
        "Closing remarks after the table.",
    ]


def test_pptx_slides_become_sections() -> None:
    result = read_file("roadmap.pptx", make_pptx())
    assert len(result.pages) == 2
    assert result.pages[0] == "## 产品路线图\n\n第一阶段：完成核心功能\n第二阶段：开放接口"
    assert result.pages[1].startswith("## Risks\n\nHiring delays\nVendor lock-in")
    assert "| Risk | Owner |\n| --- | --- |\n| Hiring | HR |" in result.pages[1]


def test_xlsx_sheets_become_tables_split_separately() -> None:
    result = read_file("staff.xlsx", make_xlsx())
    assert result.metadata["sheets"] == ["员工", "Budget"]
    first, second = result.text.split(CUSTOM_SPLIT_SIGN)
    assert first.splitlines() == [
        "| 姓名 | 部门 | 入职年份 |",
        "| --- | --- | --- |",
        "| 张三 | 研发 | 2019 |",
        "| 李四 | 销售\\n华东区 | 2021 |",
    ]
    assert second.splitlines()[2:] == ["| Cloud | 1200.5 |", "| Travel | 300 |"]
    assert split_text(result.text, chunk_size=500) == [first, second]


@pytest.mark.parametrize(
    ("name", "maker", "part"),
    [
        ("bomb.docx", make_docx, "word/media/blob.bin"),
        ("bomb.xlsx", make_xlsx, "xl/media/blob.bin"),
        ("bomb.pptx", make_pptx, "ppt/media/blob.bin"),
    ],
)
def test_zip_bombs_are_refused_before_parsing(name: str, maker: object, part: str) -> None:
    assert callable(maker)
    bomb = make_zip_bomb(maker(), part=part, size=12 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    with pytest.raises(SuspiciousArchive) as caught:
        read_file(name, bomb)
    assert caught.value.data["reason"] == "zip_bomb"


def test_uncompressed_total_is_capped() -> None:
    data = make_docx()
    with pytest.raises(FileTooLarge):
        read_file("a.docx", data, limits=ReadLimits(max_uncompressed_bytes=10_000))


def test_office_files_that_are_not_zip_or_are_encrypted() -> None:
    with pytest.raises(CorruptFile):
        read_file("a.docx", b"PK\x03\x04 truncated")
    with pytest.raises(EncryptedFile):
        read_file("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    with pytest.raises(CorruptFile):
        read_file("a.pptx", other.getvalue())


def test_file_size_cap() -> None:
    with pytest.raises(FileTooLarge):
        read_file("big.txt", b"a" * 2048, limits=ReadLimits(max_bytes=1024))


async def test_aread_file_runs_parsers_concurrently_off_the_loop() -> None:
    pdf = make_pdf(REPORT_PAGES)
    results = await asyncio.gather(*(aread_file(f"r{i}.pdf", pdf) for i in range(4)), aread_file("s.xlsx", make_xlsx()))
    assert {r.text for r in results[:4]} == {results[0].text}
    assert results[4].format == "xlsx"
