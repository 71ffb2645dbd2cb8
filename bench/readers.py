"""Throughput of the document readers, the splitter and full-text segmentation.

    .venv/bin/python bench/readers.py [--quick]

Every figure is printed next to a baseline measured in the same run (decoding the same bytes as
UTF-8), so the ratios hold on a busy machine even when absolute numbers swing. Sections:
readers per format, PDF engines (pypdfium2 vs pypdf), BeautifulSoup tree builders, the splitter,
and jieba vs rjieba (rjieba only if installed).
"""

from __future__ import annotations

import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import docx  # noqa: E402
import openpyxl  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from pptx import Presentation  # noqa: E402
from tests.rag.readers.makers import PdfPage, make_pdf  # noqa: E402

from pyfastgpt.rag import fulltext  # noqa: E402
from pyfastgpt.rag.readers import read_file  # noqa: E402
from pyfastgpt.rag.readers.pdf import read_pdf, read_pdf_pypdf  # noqa: E402
from pyfastgpt.rag.readers.registry import ReadContext, ReadLimits  # noqa: E402
from pyfastgpt.rag.splitter import split_text  # noqa: E402

QUICK = "--quick" in sys.argv
DATA = ROOT / "tests" / "rag" / "data"
CORPUS = "\n\n".join(p.read_text() for p in sorted(DATA.glob("*")) if p.suffix in (".md", ".txt"))
MB = 1024 * 1024
WORD = re.compile(r"[^\W_]+")


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(1 if QUICK else repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def text_of_size(size: int) -> str:
    return (CORPUS * (size // len(CORPUS.encode()) + 1))[: size // 2]


def build_documents() -> dict[str, tuple[bytes, int]]:
    """name → (bytes, units) where units are pages / slides / rows for the per-unit rate."""
    body = text_of_size(1 * MB)
    paragraphs = [p for p in body.split("\n") if p.strip()]
    docs: dict[str, tuple[bytes, int]] = {
        "doc.txt": (body.encode(), 0),
        "doc.md": (body.encode(), 0),
        "doc.html": (("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>").encode(), 0),
    }
    rows = 10_000 if not QUICK else 2_000
    csv_text = "id,name,city,notes\n" + "".join(
        f"{i},用户{i},城市{i % 50},备注 {paragraphs[i % 40][:40]}\n" for i in range(rows)
    )
    docs["table.csv"] = (csv_text.encode(), rows)

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "name", "city", "notes"])
    for i in range(rows):
        sheet.append([i, f"用户{i}", f"城市{i % 50}", paragraphs[i % 40][:40]])
    out = io.BytesIO()
    workbook.save(out)
    docs["table.xlsx"] = (out.getvalue(), rows)

    document = docx.Document()
    count = 1500 if not QUICK else 300
    for i in range(count):
        if i % 50 == 0:
            document.add_heading(f"第 {i // 50} 章", level=1)
        document.add_paragraph(paragraphs[i % len(paragraphs)])
    out = io.BytesIO()
    document.save(out)
    docs["report.docx"] = (out.getvalue(), count)

    presentation = Presentation()
    slides = 100 if not QUICK else 20
    for i in range(slides):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"Slide {i}"
        slide.placeholders[1].text_frame.text = paragraphs[i % len(paragraphs)][:200]
    out = io.BytesIO()
    presentation.save(out)
    docs["deck.pptx"] = (out.getvalue(), slides)

    pages = 200 if not QUICK else 40
    latin = [f"Line {i} of a generated page with ordinary English words for extraction." for i in range(40)]
    chinese = [f"第{i}行中文内容，用于测试文字提取的速度与准确性。" for i in range(40)]
    docs["book.pdf"] = (make_pdf([PdfPage(latin if p % 2 else chinese) for p in range(pages)]), pages)
    return docs


def section(title: str) -> None:
    print(f"\n== {title}")


def main() -> None:
    docs = build_documents()
    baseline_bytes = docs["doc.txt"][0]
    base = best_of(lambda: baseline_bytes.decode("utf-8"), 5)
    base_rate = len(baseline_bytes) / MB / base
    section(f"readers (baseline: bytes.decode('utf-8') at {base_rate:,.0f} MB/s)")
    print(f"{'file':<12} {'size MB':>8} {'MB/s':>9} {'units/s':>9} {'vs baseline':>12}")
    for name, (data, units) in docs.items():
        elapsed = best_of(lambda name=name, data=data: read_file(name, data))
        rate = len(data) / MB / elapsed
        per_unit = f"{units / elapsed:,.0f}" if units else "-"
        print(f"{name:<12} {len(data) / MB:>8.2f} {rate:>9.2f} {per_unit:>9} {rate / base_rate:>11.4f}x")

    section("PDF engines (pages/s on the same file)")
    pdf, pages = docs["book.pdf"]
    ctx = ReadContext("book.pdf", "pdf", ReadLimits())
    pdfium_t = best_of(lambda: read_pdf(pdf, ctx))
    pypdf_t = best_of(lambda: read_pdf_pypdf(pdf, ctx))
    same = read_pdf(pdf, ctx).text == read_pdf_pypdf(pdf, ctx).text
    print(
        f"pypdfium2 {pages / pdfium_t:>8,.0f} pages/s   pypdf {pages / pypdf_t:>8,.0f} pages/s   "
        f"ratio {pypdf_t / pdfium_t:.1f}x   identical text: {same}"
    )

    section("BeautifulSoup tree builders (html → soup)")
    html = docs["doc.html"][0]
    for builder in ("lxml", "html.parser"):
        elapsed = best_of(lambda builder=builder: BeautifulSoup(html, builder))
        print(f"{builder:<12} {len(html) / MB / elapsed:>8.2f} MB/s")

    section("splitter (chunk_size 1000 chars / 512 tokens)")
    text = text_of_size(2 * MB)
    size_mb = len(text.encode()) / MB
    for label, kwargs in (
        ("char", {"chunk_size": 1000, "overlap_ratio": 0.2}),
        ("token", {"chunk_size": 512, "max_size": 512, "mode": "token"}),
    ):
        elapsed = best_of(lambda kwargs=kwargs: split_text(text, **kwargs))  # type: ignore[arg-type]
        print(f"{label:<6} {size_mb / elapsed:>8.2f} MB/s  ({len(split_text(text, **kwargs))} chunks)")  # type: ignore[arg-type]

    section("full-text segmentation (search mode), jieba vs rjieba")
    sample = text_of_size(MB // 2 if not QUICK else MB // 8)
    paragraphs = [p for p in sample.split("\n") if p.strip()]
    fulltext.tokenizer()
    tk = fulltext.tokenizer()
    jieba_t = best_of(lambda: [list(tk.cut_for_search(p)) for p in paragraphs])
    mb = len(sample.encode()) / MB
    segment_t = best_of(lambda: [fulltext.segment(p) for p in paragraphs])
    print(
        f"jieba   {mb / jieba_t:>6.2f} MB/s   segment() with engine {fulltext.engine_name()}: {mb / segment_t:.2f} MB/s"
    )
    try:
        import rjieba  # type: ignore[import-not-found]
    except ImportError:
        print("rjieba  not installed")
        return
    rjieba_t = best_of(lambda: [rjieba.cut_for_search(p) for p in paragraphs])
    diffs = sum(list(tk.cut_for_search(p)) != rjieba.cut_for_search(p) for p in paragraphs)
    normalised = sum(
        {w for t in tk.cut_for_search(p) for w in WORD.findall(t)}
        != {w for t in rjieba.cut_for_search(p) for w in WORD.findall(t)}
        for p in paragraphs
    )
    print(
        f"rjieba  {mb / rjieba_t:>6.2f} MB/s   speed-up {jieba_t / rjieba_t:.1f}x   "
        f"paragraphs with different raw tokens: {diffs}/{len(paragraphs)}, "
        f"after splitting on non-word characters: {normalised}"
    )
    medians = statistics.median(len(p) for p in paragraphs)
    print(f"(paragraphs: {len(paragraphs)}, median {medians:.0f} chars)")


if __name__ == "__main__":
    main()
