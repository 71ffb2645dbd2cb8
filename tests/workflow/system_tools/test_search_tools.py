"""SearXNG (user-supplied instance), DuckDuckGo and Wikipedia against local servers."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from pyfastgpt.workflow.system_tools import register_tool
from pyfastgpt.workflow.system_tools.duckduckgo import DuckDuckGoSearchTool
from pyfastgpt.workflow.system_tools.wikipedia import WikipediaTool
from tests.workflow.system_tools.helpers import run_tool

SEARXNG_PAGE = """<html><body><div id="results">
<article class="result"><a href="https://a.test/1" class="url_header">a.test</a><h3><a href="https://a.test/1">First hit</a></h3>
<p class="content"> About the first hit. </p></article>
<article class="result"><a href="https://b.test/2">b.test</a><h3>Second hit</h3><p class="content">Second snippet</p></article>
</div></body></html>"""

DDG_PAGE = """<html><body>
<div class="result results_links result--ad"><a class="result__a" href="https://ads.test/">Ad</a></div>
<div class="result results_links"><h2><a class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fpython.org%2F&amp;rut=x">Welcome to Python</a></h2>
<a class="result__snippet">The official home of Python.</a></div>
<div class="result results_links"><h2><a class="result__a" href="https://docs.python.org/">Docs</a></h2></div>
</body></html>"""


async def test_searxng_parses_results_from_the_instance(open_deps, local_server) -> None:
    local_server.routes["/search"] = (200, "text/html", SEARXNG_PAGE)
    result, response = await run_tool(
        open_deps, "community-searchXNG", {"query": "fast gpt", "url": local_server.url("/search")}, ["result", "error"]
    )
    assert result.error is None, result.flow_responses
    assert json.loads(response["toolRes"]["result"]) == [
        {"title": "First hit", "link": "https://a.test/1", "snippet": "About the first hit."},
        {"title": "Second hit", "link": "https://b.test/2", "snippet": "Second snippet"},
    ]
    assert local_server.requests[0].query == {"q": "fast gpt", "language": "auto"}


async def test_searxng_url_from_the_manual_secret_config(open_deps, local_server) -> None:
    local_server.routes["/search"] = (200, "text/html", SEARXNG_PAGE)
    config = {"type": "manual", "value": {"url": {"value": local_server.url("/search"), "secret": ""}}}
    result, response = await run_tool(
        open_deps, "systemTool-searchXNG", {"query": "q", "system_input_config": config}, ["result"]
    )
    assert result.error is None, result.flow_responses
    assert len(json.loads(response["toolRes"]["result"])) == 2


async def test_searxng_without_results_and_without_url(open_deps, local_server) -> None:
    local_server.routes["/search"] = (200, "text/html", "<html><body>nothing</body></html>")
    _, response = await run_tool(open_deps, "searchXNG", {"query": "q", "url": local_server.url("/search")}, ["result"])
    assert response["toolRes"] == {"result": "[]", "error": {"message": "No search results", "code": 500}}
    result, _ = await run_tool(open_deps, "searchXNG", {"query": "q"}, ["result"])
    assert result.error == "Can not find url"


async def test_encrypted_secret_cannot_be_used(open_deps) -> None:
    config = {"type": "manual", "value": {"url": {"value": "", "secret": "a1b2c3"}}}
    result, _ = await run_tool(open_deps, "searchXNG", {"query": "q", "system_input_config": config})
    assert result.error == "The secret 'url' is stored encrypted by another FastGPT server; enter it again in the node"


@pytest.fixture
def local_duckduckgo(local_server):
    @register_tool
    class LocalDuckDuckGo(DuckDuckGoSearchTool):
        tool_id = "test-localDuckDuckGo"
        aliases = ()
        endpoint: ClassVar[str] = local_server.url("/html/")

    local_server.routes["/html/"] = (200, "text/html", DDG_PAGE)
    return local_server


async def test_duckduckgo_results_skip_ads_and_unwrap_links(open_deps, local_duckduckgo) -> None:
    result, response = await run_tool(
        open_deps, "test-localDuckDuckGo", {"query": "python", "max_results": 5}, ["result"]
    )
    assert result.error is None, result.flow_responses
    assert json.loads(response["toolRes"]["result"]) == [
        {"title": "Welcome to Python", "link": "https://python.org/", "snippet": "The official home of Python."},
        {"title": "Docs", "link": "https://docs.python.org/", "snippet": ""},
    ]
    request = local_duckduckgo.requests[0]
    assert request.method == "POST" and b"q=python" in request.body


async def test_wikipedia_summary_from_the_mediawiki_api(open_deps, local_server) -> None:
    @register_tool
    class LocalWiki(WikipediaTool):
        tool_id = "test-localWiki"
        aliases = ()
        api_url: ClassVar[str] = local_server.url("/w/api.php")

    answer = {"query": {"pages": {"23862": {"pageid": 23862, "title": "Python", "extract": "Python 是一种编程语言。"}}}}
    local_server.routes["/w/api.php"] = (200, "application/json", json.dumps(answer))
    result, response = await run_tool(open_deps, "test-localWiki", {"query": "Python"}, ["result"])
    assert result.error is None
    assert response["toolRes"] == {"result": "Python 是一种编程语言。"}
    assert local_server.requests[0].query["titles"] == "Python"

    local_server.routes["/w/api.php"] = (200, "application/json", '{"query": {"pages": {"-1": {"missing": ""}}}}')
    _, response = await run_tool(open_deps, "test-localWiki", {"query": "Nope"}, ["result"])
    assert response["toolRes"] == {"result": "No article found"}
