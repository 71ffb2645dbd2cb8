"""HTML → markdown (ATX headings, ``-`` lists, inline links, fenced code, GFM tables).

Mirrors what FastGPT gets from turndown + the GFM plugin: scripts, styles and frames are
dropped, relative links and images are made absolute when a base URL is known, and data-URI
images are replaced by a placeholder so they do not flood the text.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction

from pyfastgpt.rag.readers.registry import ReadContext, ReadResult, reader_for
from pyfastgpt.rag.readers.text import decode_text

DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "head", "svg", "canvas", "form", "button", "select"}
)
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "figure", "figcaption"}
    | {"address", "details", "summary", "dl", "dd", "dt", "center", "body", "html"}
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def parse_html(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def page_title(soup: BeautifulSoup) -> str:
    title = soup.find("title")
    if isinstance(title, Tag) and title.get_text(strip=True):
        return title.get_text(" ", strip=True)
    heading = soup.find("h1")
    return heading.get_text(" ", strip=True) if isinstance(heading, Tag) else ""


def html_to_markdown(html: str | bytes | Tag, *, base_url: str | None = None) -> str:
    root = parse_html(html) if isinstance(html, str | bytes) else html
    return _MarkdownWriter(base_url).render(root)


MAX_DEPTH = 60  # deeper markup is flattened to its text (keeps hostile nesting off the stack)


class _MarkdownWriter:
    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.depth = 0

    def render(self, root: Tag) -> str:
        text = self._children(root)
        lines = [line.rstrip() for line in text.split("\n")]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

    # -- dispatch ---------------------------------------------------------------------------------

    def _children(self, node: Tag) -> str:
        return "".join(self._node(child) for child in node.children)

    def _node(self, node: object) -> str:
        if isinstance(node, Comment | Doctype | ProcessingInstruction):
            return ""
        if isinstance(node, NavigableString):
            return _SPACES.sub(" ", str(node))
        if not isinstance(node, Tag):
            return ""
        if self.depth >= MAX_DEPTH:
            # bs4's get_text walks descendants iteratively, whatever the depth
            return f"\n\n{_SPACES.sub(' ', node.get_text(' ')).strip()}\n\n"
        self.depth += 1
        try:
            return self._tag(node)
        finally:
            self.depth -= 1

    def _tag(self, node: Tag) -> str:
        name = node.name.lower()
        if name in DROP_TAGS:
            return ""
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            content = self._inline(node)
            return f"\n\n{'#' * int(name[1])} {content}\n\n" if content else ""
        if name in _BLOCKS:
            return f"\n\n{self._children(node)}\n\n"
        handler = getattr(self, f"_tag_{name}", None)
        if handler is not None:
            result: str = handler(node)
            return result
        return self._children(node)

    def _inline(self, node: Tag) -> str:
        return _SPACES.sub(" ", self._children(node)).strip()

    def _url(self, value: object) -> str:
        url = str(value or "").strip()
        if self.base_url and url and not url.startswith(("data:", "#", "mailto:", "javascript:")):
            return urljoin(self.base_url, url)
        return url

    # -- inline tags ------------------------------------------------------------------------------

    def _tag_br(self, node: Tag) -> str:
        return "\n"

    def _tag_hr(self, node: Tag) -> str:
        return "\n\n---\n\n"

    def _tag_a(self, node: Tag) -> str:
        text = self._inline(node)
        href = self._url(node.get("href"))
        if not text:
            return ""
        if not href or href.startswith("javascript:"):
            return text
        return f"[{text}]({href})"

    def _tag_img(self, node: Tag) -> str:
        src = str(node.get("src") or "")
        if src.startswith("data:"):
            src = "data-uri-image"
        alt = str(node.get("alt") or "").strip()
        return f"![{alt}]({self._url(src)})" if src else ""

    def _wrap(self, node: Tag, mark: str) -> str:
        text = self._inline(node)
        return f"{mark}{text}{mark}" if text else ""

    def _tag_strong(self, node: Tag) -> str:
        return self._wrap(node, "**")

    _tag_b = _tag_strong

    def _tag_em(self, node: Tag) -> str:
        return self._wrap(node, "_")

    _tag_i = _tag_em

    def _tag_del(self, node: Tag) -> str:
        return self._wrap(node, "~~")

    _tag_s = _tag_del

    def _tag_code(self, node: Tag) -> str:
        text = node.get_text()
        return f"`{text}`" if text else ""

    # -- blocks -----------------------------------------------------------------------------------

    def _tag_pre(self, node: Tag) -> str:
        code = node.find("code")
        language = ""
        if isinstance(code, Tag):
            for css in code.get("class") or []:
                if css.startswith(("language-", "lang-")):
                    language = css.split("-", 1)[1]
        text = node.get_text().strip("\n")
        fence = "````" if "```" in text else "```"
        return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"

    def _tag_blockquote(self, node: Tag) -> str:
        inner = self.render(node)
        quoted = "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        return f"\n\n{quoted}\n\n"

    def _list(self, node: Tag, ordered: bool) -> str:
        start = int(str(node.get("start") or 1)) if str(node.get("start") or "1").isdigit() else 1
        items: list[str] = []
        for index, item in enumerate(node.find_all("li", recursive=False)):
            marker = f"{start + index}. " if ordered else "- "
            body = self.render(item)
            indent = " " * len(marker)
            lines = body.split("\n")
            items.append(marker + lines[0] + "".join(f"\n{indent}{line}" if line else "\n" for line in lines[1:]))
        return "\n\n" + "\n".join(items) + "\n\n" if items else ""

    def _tag_ul(self, node: Tag) -> str:
        return self._list(node, ordered=False)

    def _tag_ol(self, node: Tag) -> str:
        return self._list(node, ordered=True)

    def _tag_li(self, node: Tag) -> str:  # a stray <li> outside a list
        return f"\n- {self._inline(node)}\n"

    def _tag_table(self, node: Tag) -> str:
        rows: list[list[str]] = []
        for row in node.find_all("tr"):
            if row.find_parent("table") is not node:
                continue  # rows of a nested table belong to that table
            cells = [self._inline(cell).replace("|", "\\|") for cell in row.find_all(("th", "td"), recursive=False)]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n\n" + "\n".join(lines) + "\n\n"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


@reader_for("html", "htm", "xhtml")
def read_html(data: bytes, ctx: ReadContext) -> ReadResult:
    declared = ctx.encoding
    if declared is None:
        found = _META_CHARSET.search(data[:4096])
        declared = found.group(1).decode("ascii") if found else None
    html, encoding = decode_text(data, declared=declared, name=ctx.name)
    soup = parse_html(html)
    body = soup.body or soup
    return ReadResult(text=html_to_markdown(body), format="html", title=page_title(soup), encoding=encoding)
