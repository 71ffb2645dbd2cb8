"""txt / md / csv / html readers: encodings, tables, markdown conversion, junk input."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from pyfastgpt.rag.readers import BinaryContent, EmptyFile, html_to_markdown, read_file
from pyfastgpt.rag.readers.text import decode_text

DATA = Path(__file__).resolve().parents[1] / "data"
POLICY = (DATA / "zh_policy.txt").read_text()


@pytest.mark.parametrize(
    ("encoded", "expected_encoding"),
    [
        (POLICY.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + POLICY.encode("utf-8"), "utf-8-sig"),
        (POLICY.encode("gbk"), "gb18030"),
        (POLICY.encode("utf-16"), "utf-16"),  # with BOM
        (POLICY.encode("utf-16-le"), "utf_16_le"),  # without BOM, mostly CJK
        ("Plain ASCII notes\nsecond line\n".encode("utf-16-le"), "utf-16-le"),
        (POLICY[:300].encode("big5", errors="ignore"), None),
    ],
    ids=["utf8", "utf8-bom", "gbk", "utf16-bom", "utf16le-cjk", "utf16le-ascii", "big5"],
)
def test_text_encodings_are_detected(encoded: bytes, expected_encoding: str | None) -> None:
    result = read_file("policy.txt", encoded)
    if expected_encoding is not None:
        assert codecs.lookup(result.encoding or "").name == codecs.lookup(expected_encoding).name
    assert "差旅" in result.text or "Plain ASCII notes" in result.text
    if expected_encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16"):
        assert result.text.replace("\r\n", "\n") == POLICY


def test_declared_encoding_wins() -> None:
    text, encoding = decode_text("café crème".encode("latin-1"), declared="latin-1")
    assert text == "café crème"
    assert encoding == "iso8859-1"


def test_markdown_is_kept_verbatim() -> None:
    source = (DATA / "zh_manual.md").read_bytes()
    result = read_file("manual.MD", source)
    assert result.format == "md"
    assert result.text == source.decode()


@pytest.mark.parametrize(
    "data",
    [os.urandom(4096), bytes(range(256)) * 20, b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200 + os.urandom(500)],
    ids=["random", "all-bytes", "elf"],
)
def test_binary_junk_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryContent) as caught:
        read_file("notes.txt", data)
    assert caught.value.key == "unsupportedFileType"
    assert caught.value.data == {"reason": "binary", "name": "notes.txt"}


def test_empty_and_blank_files_are_refused() -> None:
    with pytest.raises(EmptyFile):
        read_file("a.txt", b"")
    with pytest.raises(EmptyFile):
        read_file("a.md", b"  \n\n\t ")


def test_csv_becomes_a_markdown_table_with_header() -> None:
    source = '姓名,城市,备注\n张三,上海,"多行\n备注"\n李四,北京,a|b\n\n王五,深圳\n'
    result = read_file("people.csv", source.encode("gbk"))
    assert result.text.splitlines() == [
        "| 姓名 | 城市 | 备注 |",
        "| --- | --- | --- |",
        "| 张三 | 上海 | 多行\\n备注 |",
        "| 李四 | 北京 | a\\|b |",
        "| 王五 | 深圳 |  |",
    ]
    assert result.raw_text is not None and result.raw_text.startswith("姓名,城市")


def test_semicolon_csv() -> None:
    result = read_file("t.csv", b"a;b\n1;2\n3;4\n")
    assert result.text.splitlines()[0] == "| a | b |"
    assert result.text.splitlines()[-1] == "| 3 | 4 |"


HTML = """<!doctype html><html><head><meta charset="gbk"><title>产品说明</title>
<style>p{color:red}</style><script>alert(1)</script></head>
<body><nav><a href="/">首页</a></nav>
<h1>安装指南</h1><p>请先阅读 <a href="docs/faq.html">常见问题</a>，再开始<b>安装</b>。</p>
<h2>步骤</h2><ol><li>下载</li><li>解压<ul><li>检查摘要</li></ul></li></ol>
<pre><code class="language-bash">tar xf pkg.tgz
./install.sh</code></pre>
<table><thead><tr><th>参数</th><th>说明</th></tr></thead>
<tbody><tr><td>--port</td><td>监听端口</td></tr><tr><td>--data</td><td>数据目录</td></tr></tbody></table>
<img src="data:image/png;base64,AAAA" alt="logo"><!-- comment --></body></html>"""


def test_html_becomes_markdown() -> None:
    result = read_file("guide.html", HTML.encode("gbk"))
    text = result.text
    assert result.title == "产品说明"
    assert "alert" not in text and "color:red" not in text and "comment" not in text
    assert "# 安装指南" in text
    assert "## 步骤" in text
    assert "[常见问题](docs/faq.html)" in text
    assert "**安装**" in text
    assert "1. 下载\n2. 解压" in text
    assert "- 检查摘要" in text
    assert "```bash\ntar xf pkg.tgz\n./install.sh\n```" in text
    assert "| 参数 | 说明 |\n| --- | --- |\n| --port | 监听端口 |\n| --data | 数据目录 |" in text
    assert "base64" not in text


def test_html_links_become_absolute_with_a_base_url() -> None:
    markdown = html_to_markdown(
        '<p><a href="/a">A</a> <img src="//cdn.example.com/i.png" alt="i"></p>', base_url="https://example.com/docs/x"
    )
    assert markdown == "[A](https://example.com/a) ![i](https://cdn.example.com/i.png)"


def test_hostile_nesting_is_flattened_not_a_crash() -> None:
    html = "<div>" * 5000 + "<p>deep <b>text</b></p>" + "</div>" * 5000
    assert read_file("deep.html", html.encode()).text == "deep text"
    lists = "<ul><li>" * 1000 + "leaf" + "</li></ul>" * 1000
    assert read_file("lists.html", lists.encode()).text.endswith("leaf")


def test_csv_cell_larger_than_the_default_field_limit() -> None:
    long_cell = "长" * 200_000
    result = read_file("big-cell.csv", f'title,body\nnote,"{long_cell}"\n'.encode())
    assert result.text.endswith(f"| note | {long_cell} |")


def test_inline_base64_images_in_markdown_are_replaced() -> None:
    source = "# Logo\n\n![logo](data:image/png;base64," + "iVBORw0KGgo" * 500 + ")\n\nText after."
    assert read_file("a.md", source.encode()).text == "# Logo\n\n![logo](data-uri-image)\n\nText after."
