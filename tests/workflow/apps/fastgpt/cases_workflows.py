"""Expectations for the chat apps of the corpus: market templates, doc app cases, empty templates.

Models named by the apps (`gpt-5`, `gpt-4o-mini`, `claude-3-5-sonnet-20240620`, `FastAI-plus`, …)
are not configured here; FastGPT answers with the default model then, which is the fake LLM.
"""

from __future__ import annotations

from tests.fake_llm import Reply
from tests.workflow.apps.fastgpt.expectations import AppCase, Check, Matches, StubExpectation, contains

SVG_REPLY = "```svg\n<svg>hi</svg>\n```"
SVG_DATA_URL = "data:image/svg+xml;base64,PHN2Zz5oaTwvc3ZnPg=="  # base64 of "<svg>hi</svg>"
TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"

WORKFLOW_CASES: tuple[AppCase, ...] = (
    AppCase(
        name="template-CQ",
        exercises="classifyQuestion → answerNode (greeting branch); datasetSearchNode/chatNode on the skipped branch",
        question="你好呀",
        replies=(Reply(content="sdfa"),),
        ran=("workflowStartNodeId", "rvbo634w3AYj", "7kwgL1dVlwG6"),
        not_ran=("MNMMMIjjWyMU", "7BdojPlukIQw"),
        outputs={("rvbo634w3AYj", "cqResult"): "打招呼、问候等问题"},
        answer=("打招呼、问候等问题",),
        llm_calls=1,
    ),
    AppCase(
        name="template-simpleDatasetChat",
        exercises="datasetSearchNode with no dataset selected → chatNode",
        question="如何使用?",
        ran=("iKBoX2vIzETU",),
        not_ran=("7BdojPlukIQw",),
        errors={"iKBoX2vIzETU": "Select dataset empty"},
        llm_calls=0,
        offline_note="FastGPT rejects a search without datasets (`core.chat.error.Select dataset empty`); "
        "the chat node behind it is skipped",
    ),
    AppCase(
        name="template-Chinese",
        exercises="chatNode (answer hidden) → code (regex + strToBase64) → answerNode with {{$node.output$}}",
        question="内卷",
        replies=(Reply(content=SVG_REPLY),),
        ran=("bg853CwHAw4a", "sbVUb0efY6Fm", "cPh2VZnVxjQ8"),
        outputs={("sbVUb0efY6Fm", "customOutputs"): contains(SVG_DATA_URL)},
        answer=(f"SVG：\n\n{SVG_REPLY}\n\n卡片：\n\n![]({SVG_DATA_URL})",),
        llm_calls=1,
        llm_saw=("内卷", "汉语新解"),
    ),
    AppCase(
        name="template-TranslateRobot",
        exercises="textEditor → chatNode → code (last code block) → textEditor → answerNode",
        question="Hello world",
        replies=(Reply(content="【思考】直译\n【翻译】你好世界\n```\n你好世界\n```"),),
        ran=("gBDvemE4FBhp", "loOvhld2ZTKa", "w0oBbQ3YJHye", "bcqtxqxE2R6o", "foO69L5FOmDQ"),
        outputs={("bcqtxqxE2R6o", "textOutput"): contains("最终翻译结果如下: \n\n```\n你好世界\n```")},
        answer=("【翻译】你好世界", "最终翻译结果如下: \n\n```\n你好世界\n```"),
        llm_calls=1,
        llm_saw=('原文:\n"""\nHello world\n"""',),
    ),
    AppCase(
        name="template-google",
        exercises="tools (FastAI-plus) calling an httpRequest468 tool (GET with params) chained to a code node",
        question="FastGPT 是什么?",
        replies=(Reply(tool_calls=[("GMELVPxHfpg5", '{"query":"FastGPT"}')]), Reply(content="谷歌说: 开源平台")),
        http_urls={"GMELVPxHfpg5": "/customsearch/v1"},
        ran=("NOgbnBzUwDgT", "GMELVPxHfpg5", "poIbrrA8aiR0"),
        answer=("谷歌说: 开源平台",),
        llm_calls=2,
        stub_calls=(StubExpectation("/customsearch/v1", "GET", query={"q": "FastGPT", "cx": "谷歌搜索cxID"}),),
        offline_note="points at googleapis.com; rewritten to the local stand-in",
    ),
    AppCase(
        name="template-timeBot",
        exercises="tools calling the system tool community-getTime (pluginModule)",
        question="现在几点?",
        replies=(Reply(tool_calls=[("zBxjo5", "{}")]), Reply(content="现在是下午")),
        ran=("jrWPV9", "zBxjo5"),
        outputs={
            ("zBxjo5", "toolRes"): Check("{time: now}", lambda v: isinstance(v, dict) and Matches(TIME)(v.get("time")))
        },
        answer=("现在是下午",),
        llm_calls=2,
    ),
    AppCase(
        name="template-batchFetchWebsite",
        exercises="code (split) → loop{loopStart → community-fetchUrl → chatNode → answerNode → loopEnd}",
        question="{stub}/page1,{stub}/page2",
        replies=(Reply(content="Summary one"), Reply(content="Summary two")),
        ran=("z5G5SN3Ft1Fq", "nYahojqWl3Dv", "ij5bOSRhu7hg", "uHAFz4JcEizL", "cSZChQbyBgQU"),
        outputs={("ij5bOSRhu7hg", "toolRes"): contains("Cannot fetch internal url")},
        answer=("/page1", "Summary one", "/page2", "Summary two"),
        llm_calls=2,
        llm_saw=("/page1", "/page2"),
        offline_note="FastGPT's fetchUrl refuses internal addresses (result `Cannot fetch internal url`), so the "
        "stand-in pages are not read; the template feeds the URL itself to the chat node",
    ),
    AppCase(
        name="doc-dalle3",
        exercises="httpRequest468 (JSONPath output data[0].url) → community-textEditor (pluginModule) → answerNode",
        question="a cute baby sea otter",
        http_urls={"tMyUnRL5jIrC": "/v1/images/generations"},
        ran=("tMyUnRL5jIrC", "CO3POL8svbbi", "7mapnCgHfKW6"),
        answer=("![](https://img.example/dalle.png)",),
        llm_calls=0,
        stub_calls=(
            StubExpectation(
                "/v1/images/generations",
                body={"model": "dall-e-3", "prompt": "a cute baby sea otter", "n": 1, "size": "1024x1024"},
            ),
        ),
        offline_note="a paid OpenAI image API; rewritten to the local stand-in",
    ),
    AppCase(
        name="doc-google_search-tools",
        exercises="tools (FastAI-plus) calling an httpRequest468 tool (POST JSON body from tool params)",
        question="FastGPT 最新版本?",
        replies=(Reply(tool_calls=[("GMELVPxHfpg5", '{"query":"FastGPT"}')]), Reply(content="最新版本见官网")),
        http_urls={"GMELVPxHfpg5": "/google_search"},
        ran=("NOgbnBzUwDgT", "GMELVPxHfpg5"),
        answer=("最新版本见官网",),
        llm_calls=2,
        llm_saw=("FastGPT is an open-source LLM platform",),
        stub_calls=(StubExpectation("/google_search", body={"searchKey": "FastGPT"}),),
        offline_note="points at a laf.dev function; rewritten to the local stand-in",
    ),
    AppCase(
        name="doc-google_search-extract",
        exercises="contentExtract → ifElseNode (legacy flat ifElseList) → httpRequest468 → textEditor → chatNode",
        question="FastGPT 最新版本?",
        replies=(Reply(content='{"searchKey":"FastGPT 最新版本"}'),),
        http_urls={"1ljV0oTq4zeC": "/google_search"},
        ran=("lG52GzzMm65z", "TWD5BAqIIFaj"),
        not_ran=("1ljV0oTq4zeC", "Nc6hBdb3l9Pe", "FYLw1BokYUad", "EX0g9oK3sCOC"),
        errors={"TWD5BAqIIFaj": "Cannot read properties of undefined"},
        outputs={("lG52GzzMm65z", "extractResult"): {"searchKey": "FastGPT 最新版本"}},
        llm_calls=1,
        offline_note="this 4.7-era doc stores ifElseList as a flat condition list; FastGPT's dispatchIfElse "
        "reads `item.list.map` and fails, so both branches are skipped",
    ),
    AppCase(
        name="doc-feishu_webhook",
        exercises="tools → httpRequest468 tool → stopTool + answerNode inside the tool run; custom variable",
        question="通知大家开会",
        variables={"test": "x"},
        replies=(Reply(tool_calls=[("x9rN2a4WnZmt", '{"text":"开会啦"}')]),),
        http_urls={"x9rN2a4WnZmt": "/feishu"},
        ran=("u6IAOEssxoZT", "x9rN2a4WnZmt", "fvY5hb0K646V", "aGHGqH2oUupj"),
        answer=("嘻嘻，发送成功",),
        llm_calls=1,
        stub_calls=(StubExpectation("/feishu", body={"msg_type": "text", "content": {"text": "开会啦"}}),),
        offline_note="the doc leaves the webhook URL empty; pointed at the local stand-in",
    ),
    AppCase(
        name="doc-lab_appointment",
        exercises="legacy userGuide variable → tools with httpRequest468 + datasetSearchNode tools, stopTool",
        question="查询我的预约",
        variables={"name": "小明"},
        replies=(Reply(tool_calls=[("40clf3", '{"action":"get"}')]),),
        http_urls={"40clf3": "/appointment-lab"},
        ran=("fYxwWym8flYL", "40clf3", "eg5upi", "IdntVQiTopHT"),
        not_ran=("JSSQtDgwmmbE",),
        answer=("小明 没有预约中的记录",),
        llm_calls=1,
        stub_calls=(
            StubExpectation(
                "/appointment-lab",
                check=lambda call: call.json().get("action") == "get" and call.json()["name"] == "小明",
            ),
        ),
        offline_note="points at a laf.dev function; rewritten to the local stand-in",
    ),
    AppCase(
        name="doc-fixingEvidence",
        exercises="answerNode → chatNode (quoteQA referencing a missing node) → answerNode",
        question="导演是谁",
        replies=(Reply(content="诺兰"),),
        ran=("tc90wz", "nlfwkc", "U5T3dMVY4wj7"),
        answer=("这是开头", "诺兰", "这是结尾"),
        llm_calls=1,
    ),
    AppCase(
        name="empty-simple",
        exercises="FastGPT's empty simple-app template: chatNode (gpt-4o-mini)",
        question="你是谁",
        replies=(Reply(content="我是助手"),),
        ran=("448745", "loOvhld2ZTKa"),
        answer=("我是助手",),
        llm_calls=1,
    ),
    AppCase(
        name="empty-workflow",
        exercises="FastGPT's empty workflow template: workflowStart only",
        ran=("448745",),
        llm_calls=0,
    ),
    AppCase(
        name="empty-chatGuide",
        exercises="old `modules` template: userGuide select variable used as {{language}} in the system prompt",
        question="今天天气不错",
        variables={"language": "英文"},
        replies=(Reply(content="The weather is nice today"),),
        ran=("loOvhld2ZTKa",),
        answer=("The weather is nice today",),
        llm_calls=1,
        llm_saw=("请直接将我的问题翻译成英文，不需要回答问题。",),
    ),
)
