"""`fetchUrl` against a real local web server: markdown out, internal addresses refused by default."""

from __future__ import annotations

from tests.workflow.system_tools.helpers import run_tool

PAGE = """<html><head><title>Local page</title><style>body{color:red}</style></head>
<body><h1>Hello</h1><p>Some <b>bold</b> text with <a href="/docs/intro">a link</a>.</p>
<script>alert('x')</script><a href="/empty"></a><ul><li>one</li><li>two</li></ul></body></html>"""


async def test_fetches_a_page_as_markdown(open_deps, local_server) -> None:
    local_server.routes["/page"] = (200, "text/html", PAGE)
    result, response = await run_tool(
        open_deps, "community-fetchUrl", {"url": local_server.url("/page")}, ["result", "title"]
    )
    assert result.error is None, result.flow_responses
    markdown = response["toolRes"]["result"]
    assert "# Hello" in markdown
    assert "**bold**" in markdown
    assert f"[a link]({local_server.url('/docs/intro')})" in markdown
    assert "- one" in markdown and "- two" in markdown
    assert "alert" not in markdown and "color:red" not in markdown and "/empty" not in markdown
    assert response["toolRes"]["title"] == "Local page"
    assert [r.path for r in local_server.requests] == ["/page"]


async def test_loopback_is_refused_without_allow_private(guarded_deps, local_server) -> None:
    local_server.routes["/page"] = (200, "text/html", PAGE)
    result, response = await run_tool(
        guarded_deps, "systemTool-fetchUrl", {"url": local_server.url("/page")}, ["result"]
    )
    assert result.error is None
    assert response["toolRes"]["result"] == "Cannot fetch internal url"
    assert local_server.requests == []


async def test_link_local_metadata_address_is_refused(guarded_deps) -> None:
    _, response = await run_tool(
        guarded_deps, "fetchUrl", {"url": "http://169.254.169.254/latest/meta-data/"}, ["result"]
    )
    assert response["toolRes"]["result"] == "Cannot fetch internal url"


async def test_fetch_failures_become_the_result_text(open_deps, local_server) -> None:
    result, response = await run_tool(open_deps, "fetchUrl", {"url": local_server.url("/missing")}, ["result"])
    assert result.error is None
    assert response["toolRes"]["result"] == "The link answered HTTP 404"
    _, response = await run_tool(open_deps, "fetchUrl", {"url": "ftp://example.com/x"}, ["result"])
    assert response["toolRes"]["result"].startswith("Only http(s) links can be fetched")


async def test_missing_url_fails_the_node(open_deps) -> None:
    result, _ = await run_tool(open_deps, "fetchUrl", {"url": ""}, ["result"])
    assert result.error == "url is required"
