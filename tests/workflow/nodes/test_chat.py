"""chatNode against the local fake OpenAI server (real HTTP)."""

from __future__ import annotations

from pyfastgpt.workflow.events import AnswerDelta, NodeStatus
from pyfastgpt.workflow.runner import RunInput
from tests.fake_llm import Reply
from tests.workflow.helpers import ai, answer_text, human, load_app, run_graph, text_query


async def test_simple_app_streams_answer_with_history_and_prompt(deps, fake):
    fake.script(Reply(content="Hello there friend", chunks=3))
    graph = load_app("simple_chat")
    run_input = RunInput(
        query=text_query("What is new?"),
        histories=[human("earlier q"), ai("earlier a")],
        variables={"company": "Initech"},
    )
    result, events = await run_graph(deps, graph, run_input)
    assert result.error is None, result.flow_responses
    assert answer_text(result) == "Hello there friend"
    deltas = [e.content for e in events if isinstance(e, AnswerDelta) and e.content]
    assert "".join(deltas) == "Hello there friend" and len(deltas) == 3
    assert NodeStatus(node_id="7BdojPlukIQw", name="AI 对话") in events
    body = fake.requests[-1]
    messages = body["messages"]
    assert messages[0] == {"role": "system", "content": "You are a helpful assistant for Initech."}
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[-1]["content"] == "What is new?"
    assert body["temperature"] == 0.3 and body["max_tokens"] <= 1000
    chat_response = result.flow_responses[-1]
    assert chat_response["moduleType"] == "chatNode"
    assert chat_response["query"] == "What is new?"
    assert chat_response["inputTokens"] > 0 and chat_response["outputTokens"] > 0
    assert [u.module_name for u in result.usages] == ["AI 对话"]
    assert chat_response["historyPreview"][-1] == {"obj": "AI", "value": "Hello there friend"}


async def test_non_stream_run_and_json_format(deps, fake):
    graph = load_app("simple_chat")
    chat = graph["nodes"][2]
    chat["inputs"].append(
        {"key": "aiChatResponseFormat", "renderTypeList": ["hidden"], "valueType": "string", "value": "json_object"}
    )
    fake.script(Reply(content='{"ok": true}'))
    result, events = await run_graph(deps, graph, RunInput(query=text_query("json please"), stream=False))
    assert answer_text(result) == '{"ok": true}'
    assert fake.requests[-1]["response_format"] == {"type": "json_object"}
    assert [e for e in events if isinstance(e, AnswerDelta)] == [AnswerDelta(content='{"ok": true}', fast=True)]


async def test_llm_fault_mid_node_is_a_node_error(deps, fake):
    fake.script(Reply(fault="500"))
    result, _ = await run_graph(deps, load_app("simple_chat"), RunInput(query=text_query("boom")))
    assert result.error
    assert result.flow_responses[-1]["errorText"] == result.error
    assert answer_text(result) == ""


async def test_empty_input_is_an_error(deps, fake):
    result, _ = await run_graph(deps, load_app("simple_chat"), RunInput(query=text_query("")))
    assert result.error == "AI_input_is_empty"
    assert fake.requests == []


async def test_cite_markers_removed_unless_retained(deps, fake):
    marker = "[67e517e74767063e882d6861](CITE)"
    content = f"Nginx is a web server{marker}. It is light{marker}."
    fake.script(Reply(content=content, chunks=7))
    result, events = await run_graph(
        deps, load_app("simple_chat"), RunInput(query=text_query("nginx?"), retain_dataset_cite=False)
    )
    assert answer_text(result) == "Nginx is a web server. It is light."
    streamed = "".join(e.content for e in events if isinstance(e, AnswerDelta))
    assert streamed == "Nginx is a web server. It is light."

    fake.script(Reply(content=content, chunks=7))
    result, _ = await run_graph(deps, load_app("simple_chat"), RunInput(query=text_query("nginx?")))
    assert answer_text(result) == content


def test_cite_filter_holds_back_partial_markers():
    from pyfastgpt.workflow.cite import CiteFilter

    text = "a[67e517e74767063e882d6861](CITE)b [link](x) c["
    for size in (1, 3, 5, 100):
        f = CiteFilter()
        out = "".join(f.feed(text[i : i + size]) for i in range(0, len(text), size)) + f.flush()
        assert out == "ab [link](x) c["


async def test_llm_stream_cut_mid_answer_is_a_node_error(deps, fake):
    fake.script(Reply(content="this answer will be cut in the middle", chunks=6, fault="disconnect"))
    result, _ = await run_graph(deps, load_app("simple_chat"), RunInput(query=text_query("go")))
    assert result.error
    assert result.flow_responses[-1]["moduleType"] == "chatNode"
    assert result.flow_responses[-1]["errorText"] == result.error


async def test_image_parts_follow_model_vision(deps, fake):
    fake.script(Reply(content="a cat"))
    query = [
        {"type": "file", "file": {"type": "image", "name": "cat.png", "url": "http://127.0.0.1:9/cat.png"}},
        {"type": "text", "text": {"content": "what is this?"}},
    ]
    result, _ = await run_graph(deps, load_app("simple_chat"), RunInput(query=query))
    assert answer_text(result) == "a cat"
    user = fake.requests[-1]["messages"][-1]
    vision = deps.registry.info(deps.registry.llm("fake-llm").model_id).vision
    if vision:
        assert user["content"][0] == {"type": "image_url", "image_url": {"url": "http://127.0.0.1:9/cat.png"}}
    else:
        assert user["content"] == "what is this?"


async def test_a_model_name_not_configured_here_runs_the_default_model(deps, fake):
    """FastGPT's getLLMModel: apps exported elsewhere name gpt-4o-mini, qwen-plus, …; the default runs."""
    graph = load_app("simple_chat")
    chat = next(n for n in graph["nodes"] if n["flowNodeType"] == "chatNode")
    for name in ("gpt-4o-mini", "qwen-plus", "claude-3-5-sonnet-20240620"):
        next(i for i in chat["inputs"] if i["key"] == "model")["value"] = name
        fake.script(Reply(content=f"answered for {name}"))
        result, _ = await run_graph(deps, graph, RunInput(query=text_query("hi")))
        assert result.error is None, result.flow_responses
        assert answer_text(result) == f"answered for {name}"
        assert fake.requests[-1]["model"] == "fake-llm"
        response = result.flow_responses[-1]
        assert response["model"] == deps.registry.info("fake-llm").name  # the model that actually ran
        assert [u.model for u in result.usages] == [response["model"]]
