"""Builders of real test documents (PDF, docx, pptx, xlsx, zip bombs), written at test time."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import docx
import openpyxl
from pptx import Presentation
from pptx.util import Inches

PAGE_WIDTH, PAGE_HEIGHT = 612, 792


@dataclass
class PdfPage:
    lines: list[str]
    header: str = ""  # drawn in the top 3 % of the page
    footer: str = ""  # drawn in the bottom 3 %
    extra: list[tuple[float, str]] = field(default_factory=list)


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[PdfPage]) -> bytes:
    """A PDF with real text operators. Latin text uses Helvetica; other characters use a Type0
    font whose ToUnicode map gives each character its own CID (no glyphs are embedded, which text
    extraction does not need)."""
    cjk_chars = sorted({ch for page in pages for line in page.lines for ch in line if ord(ch) > 0xFF})
    cid_of = {ch: i + 1 for i, ch in enumerate(cjk_chars)}

    def show(text: str, x: float, y: float) -> str:
        if any(ord(ch) > 0xFF for ch in text):
            hexes = "".join(f"{cid_of[ch]:04X}" if ord(ch) > 0xFF else f"{cid_of.setdefault(ch, 0):04X}" for ch in text)
            return f"BT /F2 12 Tf {x} {y} Td <{hexes}> Tj ET\n"
        return f"BT /F1 12 Tf {x} {y} Td {_pdf_string(text)} Tj ET\n"

    # characters <= 0xFF inside CJK lines also need CIDs
    for page in pages:
        for line in page.lines:
            if any(ord(ch) > 0xFF for ch in line):
                for ch in line:
                    if ch not in cid_of:
                        cid_of[ch] = len(cid_of) + 1

    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled later
    pages_obj = add(b"")
    helvetica = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    cmap_lines = "".join(f"<{cid:04X}> <{ord(ch):04X}>\n" for ch, cid in cid_of.items() if ord(ch) <= 0xFFFF)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(cid_of)} beginbfchar\n{cmap_lines}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /TestCJK /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0"
        b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestCJK /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /CIDToGIDMap /Identity >>" % descriptor
    )
    type0 = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TestCJK /Encoding /Identity-H /DescendantFonts [%d 0 R]"
        b" /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
    )
    page_ids = []
    for page in pages:
        content = ""
        y = PAGE_HEIGHT - 72.0
        for line in page.lines:
            content += show(line, 72, y)
            y -= 16
        if page.header:
            content += show(page.header, 72, PAGE_HEIGHT - 20)
        if page.footer:
            content += show(page.footer, 300, 12)
        stream = content.encode("latin-1")
        contents = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
                b" /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                % (pages_obj, PAGE_WIDTH, PAGE_HEIGHT, contents, helvetica, type0)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    kids = " ".join(f"{pid} 0 R" for pid in page_ids).encode()
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))

    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def encrypt_pdf(data: bytes, password: str) -> bytes:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Quarterly report"
    document.add_heading("季度报告", level=1)
    document.add_paragraph("本季度收入同比增长百分之十二，主要来自海外市场。")
    document.add_heading("Highlights", level=2)
    document.add_paragraph("New customers in three regions", style="List Bullet")
    document.add_paragraph("Churn fell below two percent", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["Region", "Revenue", "Growth"], ["EMEA", "1.2M", "15%"], ["APAC", "0.8M", "9%"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Closing remarks after the table.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pptx() -> bytes:
    presentation = Presentation()
    for index, (title, bullets) in enumerate(
        [
            ("产品路线图", ["第一阶段：完成核心功能", "第二阶段：开放接口"]),
            ("Risks", ["Hiring delays", "Vendor lock-in"]),
        ]
    ):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0]
        for bullet in bullets[1:]:
            body.add_paragraph().text = bullet
        if index == 1:
            shape = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1))
            for r, row in enumerate([["Risk", "Owner"], ["Hiring", "HR"]]):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = value
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "员工"
    sheet.append(["姓名", "部门", "入职年份"])
    sheet.append(["张三", "研发", 2019])
    sheet.append(["李四", "销售\n华东区", 2021])
    second = workbook.create_sheet("Budget")
    second.append(["Item", "Amount"])
    second.append(["Cloud", 1200.5])
    second.append(["Travel", 300])
    workbook.create_sheet("Empty")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_zip_bomb(template: bytes, *, part: str, size: int) -> bytes:
    """``template`` (a real docx/xlsx/pptx) plus one highly compressible part of ``size`` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        bomb.writestr(part, b"\0" * size)
    return out.getvalue()
