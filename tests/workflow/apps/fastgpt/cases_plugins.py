"""Expectations for the plugin apps of the corpus (system plugins of `packages/plugins/src`, plugin
templates of the market, the empty plugin template), run through chat completions with their
inputs as `variables`; the result is the `pluginOutput` node's `pluginOutput`.

System plugins whose HTTP node has a bare name as URL (`getTime`, `delay`, `mathExprVal`,
`fetchUrl`, `duckduckgo/search`, `wiki`, `searchXNG`) are not HTTP calls in FastGPT: its HTTP
dispatcher runs `systemPluginCb[httpReqUrl]`, the plugin's `index.ts`, in process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from tests.workflow.apps.fastgpt.corpus import StubCall
from tests.workflow.apps.fastgpt.expectations import AppCase, Check, Matches, StubExpectation, contains

SVG = '<svg xmlns="http://www.w3.org/2000/svg"><text>Hi</text></svg>'
SVG_B64 = base64.b64encode(SVG.encode()).decode()
DING_SECRET = "SECtest"
KNOWLEDGE = [{"id": "d1", "q": "Q1", "a": "A1", "sourceName": "doc.md", "collectionId": "c1", "tokens": 5}]


def dingtalk_signed(call: StubCall) -> bool:
    """FastGPT's sandbox `createHmac`: sign = base64(HMAC-SHA256(secret, `${timestamp}\\n${secret}`))."""
    timestamp = call.query.get("timestamp", "")
    digest = hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    return call.query.get("access_token") == "abc" and call.query.get("sign") == base64.b64encode(digest).decode()


def plugin_output(**expected: Any) -> Check:
    """A `pluginOutput` holding at least these values."""
    return Check(
        f"pluginOutput with {expected!r}",
        lambda value: isinstance(value, dict) and all(value.get(k) == v for k, v in expected.items()),
    )


def plugin_field(key: str, check: Callable[[Any], bool], description: str) -> Check:
    return Check(
        f"pluginOutput[{key!r}] {description}", lambda value: isinstance(value, dict) and check(value.get(key))
    )


PLUGIN_CASES: tuple[AppCase, ...] = (
    AppCase(
        name="empty-plugin",
        exercises="FastGPT's empty plugin template: pluginInput/pluginOutput/pluginConfig, nothing wired",
        ran=("pluginOutput",),
        outputs={("pluginOutput", "pluginOutput"): {}},
        llm_calls=0,
    ),
    AppCase(
        name="plugin-getTime",
        exercises="system plugin: httpRequest468 with bare URL `getTime` (systemPluginCb) and {{cTime}}",
        ran=("ebLCxU43hHuZ", "i7uow4wj2wdp"),
        outputs={("i7uow4wj2wdp", "pluginOutput"): plugin_field("time", Matches(r"^\d{4}-\d{2}-\d{2} "), "is now")},
    ),
    AppCase(
        name="plugin-delay",
        exercises="system plugin: httpRequest468 `delay` (systemPluginCb), {{$pluginInput.ms$}} by output id",
        variables={"延迟时长": 10},
        ran=("zCJC6zw7c14i", "pluginOutput"),
        outputs={("pluginOutput", "pluginOutput"): {"result": 10}},
    ),
    AppCase(
        name="plugin-mathExprVal",
        exercises="system plugin: httpRequest468 `mathExprVal` (systemPluginCb), dynamic input {{expr}}",
        variables={"数学表达式": "1+2*3"},
        ran=("hzO1JnuLrKpK", "sowtxkCPjvb7"),
        outputs={("sowtxkCPjvb7", "pluginOutput"): plugin_field("result", lambda r: str(r) == "7", "== 7")},
    ),
    AppCase(
        name="plugin-fetchUrl",
        exercises="system plugin: httpRequest468 `fetchUrl` (systemPluginCb) reading a page",
        variables={"url": "{stub}/page"},
        ran=("ebLCxU43hHuZ", "i7uow4wj2wdp"),
        outputs={("i7uow4wj2wdp", "pluginOutput"): plugin_field("result", bool, "is not empty")},
    ),
    AppCase(
        name="plugin-duckduckgo-search",
        exercises="system plugin: httpRequest468 `duckduckgo/search` (systemPluginCb, internet search)",
        variables={"query": "FastGPT"},
        ran=("hjnVuJAOwyXV", "pluginOutput"),
        outputs={("pluginOutput", "pluginOutput"): plugin_field("result", bool, "is not empty")},
        offline_note="duckduckgo is unreachable offline; FastGPT's plugin retries then returns the error text "
        "as `result` (no node error)",
    ),
    AppCase(
        name="plugin-wiki",
        exercises="system plugin: httpRequest468 `wiki` (systemPluginCb, zh.wikipedia.org)",
        variables={"query": "FastGPT"},
        ran=("hjnVuJAOwyXV", "pluginOutput"),
        outputs={("pluginOutput", "pluginOutput"): plugin_field("result", bool, "is not empty")},
        offline_note="wikipedia is unreachable offline; FastGPT's plugin returns the error text as `result`",
    ),
    AppCase(
        name="plugin-searchXNG",
        exercises="system plugin: httpRequest468 `searchXNG` (systemPluginCb) with a user-supplied SearXNG URL",
        variables={"query": "FastGPT", "url": "{stub}/searxng"},
        ran=("hjnVuJAOwyXV", "pluginOutput"),
        # Deliberate difference: system tools refuse private/loopback addresses unless the deployment sets
        # LINK_FETCH_ALLOW_PRIVATE (FastGPT 4.9's callback fetched any URL); the parsing of a SearXNG page is
        # covered with the setting on in tests/workflow/system_tools.
        errors={"hjnVuJAOwyXV": "private or reserved address"},
        offline_note="FastGPT 4.9 would fetch the stand-in and list its results",
    ),
    AppCase(
        name="plugin-feishu",
        exercises="plugin: code (JSON.parse fallback) → httpRequest468 to {{url}} with an object body",
        variables={"content": "hello feishu", "hook_url": "{stub}/feishu"},
        ran=("qcJpBBVtXsGd", "vzreK6vHrPvZ", "pluginOutput"),
        outputs={("pluginOutput", "pluginOutput"): plugin_output(result={"code": 0, "msg": "success"})},
        stub_calls=(StubExpectation("/feishu", body={"msg_type": "text", "content": {"text": "hello feishu"}}),),
    ),
    AppCase(
        name="plugin-WeWorkWebhook",
        exercises="plugin: httpRequest468 to {{url}} with a CRLF JSON body template",
        variables={"企微机器人地址": "{stub}/wework", "发送的消息": "hello wework"},
        ran=("rKBYGQuYefae", "pluginOutput"),
        stub_calls=(StubExpectation("/wework", body={"msgtype": "text", "text": {"content": "hello wework"}}),),
    ),
    AppCase(
        name="plugin-DingTalkWebhook",
        exercises="plugin: code with sandbox createHmac → httpRequest468 to {{$code.result$}}",
        variables={
            "钉钉机器人地址": "{stub}/dingtalk?access_token=abc",
            "加签值": DING_SECRET,
            "发送的消息": "hello ding",
        },
        ran=("a5qdMS7ECNYE", "rKBYGQuYefae", "pluginOutput"),
        stub_calls=(
            StubExpectation(
                "/dingtalk", body={"msgtype": "text", "text": {"content": "hello ding"}}, check=dingtalk_signed
            ),
        ),
    ),
    AppCase(
        name="plugin-bing",
        exercises="plugin: httpRequest468 GET (header + query from inputs) → code returning a string",
        variables={"key": "bing-key", "query": "FastGPT"},
        http_urls={"nyA6oA8mF1iW": "/v7.0/search"},
        ran=("nyA6oA8mF1iW", "pZTkvleFSZXo", "pluginOutput"),
        outputs={
            ("pluginOutput", "pluginOutput"): plugin_field(
                "result", contains("BingTitle", "BingSnippet"), "lists the result"
            )
        },
        stub_calls=(
            StubExpectation(
                "/v7.0/search",
                "GET",
                query={"q": "FastGPT"},
                check=lambda call: call.headers.get("ocp-apim-subscription-key") == "bing-key",
            ),
        ),
        offline_note="points at api.bing.microsoft.com; rewritten to the local stand-in",
    ),
    AppCase(
        name="plugin-svgOutput",
        exercises="plugin: code (hand-written Base64, replaceAll) → textEditor → pluginOutput",
        variables={"svg": SVG},
        ran=("zwZuMToyJZQl", "xT02INFUpn9n", "pluginOutput"),
        outputs={("pluginOutput", "pluginOutput"): {"pic": f"![图片](data:image/svg+xml;base64,{SVG_B64})"}},
    ),
    AppCase(
        name="plugin-knowledgeTemplate",
        exercises="plugin: datasetQuote input → code building a quote text with a token budget",
        variables={"knowledges": KNOWLEDGE, "template": "{{q}}|{{a}}", "prefix": "P", "suffix": "S", "maxTokens": -1},
        ran=("y5h0b6g77kftEbpo", "pluginOutput"),
        outputs={("pluginOutput", "pluginOutput"): {"result": "P\n\nQ1|A1\nS\n", "totalTokens": 5}},
    ),
    AppCase(
        name="template-plugin-dalle",
        exercises="plugin template: httpRequest468 (JSONPath data[0].url, error output) → pluginOutput",
        variables={"绘图提示词": "a red fox"},
        http_urls={"tMvel910bnrJ": "/v1/images/generations"},
        ran=("tMvel910bnrJ", "pluginOutput"),
        outputs={
            ("pluginOutput", "pluginOutput"): Check(
                "pluginOutput with the image URL and no error",
                lambda v: (
                    isinstance(v, dict)
                    and v.get("图片访问链接") == "https://img.example/dalle.png"
                    and not v.get("error")
                ),
            )
        },
        stub_calls=(StubExpectation("/v1/images/generations", body=lambda text: "a red fox" in text),),
        offline_note="a paid OpenAI image API; rewritten to the local stand-in",
    ),
    AppCase(
        name="template-flux",
        exercises="plugin template: httpRequest468 (JSONPath images[0].url) → pluginOutput",
        variables={"绘图提示词": "a red fox"},
        http_urls={"tMvel910bnrJ": "/fal-ai/flux-pro"},
        ran=("tMvel910bnrJ", "pluginOutput"),
        outputs={
            ("pluginOutput", "pluginOutput"): Check(
                "pluginOutput with the image URL and no error",
                lambda v: (
                    isinstance(v, dict)
                    and v.get("图片访问链接") == "https://img.example/flux.png"
                    and not v.get("error")
                ),
            )
        },
        stub_calls=(StubExpectation("/fal-ai/flux-pro", body=lambda text: "a red fox" in text),),
        offline_note="a paid fal.ai image API; rewritten to the local stand-in",
    ),
)
