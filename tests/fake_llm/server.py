"""A small OpenAI-compatible HTTP server for tests (Starlette), driven by a `FakeState` script.

Routes: POST /v1/chat/completions (JSON or SSE), POST /v1/embeddings, POST /v1/rerank,
GET /v1/models. Without a script the answers are deterministic: chat echoes the last user text,
embeddings are hashed bags of words (L2-normalised), rerank scores are cosine similarities of those.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from pyfastgpt.ai.tokens import count_messages_tokens, count_tokens
from tests.fake_llm.script import FakeState, Reply

CHAT_MODEL = "fake-chat"
EMBEDDING_MODEL = "fake-embedding"
RERANK_MODEL = "fake-rerank"
_WORD = re.compile(r"[\u3400-\u9fff]|[^\W_]+", re.UNICODE)


class DroppedConnection(Exception):
    """Raised inside a response body to make the server cut the connection."""


def hashed_embedding(text: str, dimension: int) -> np.ndarray:
    """Deterministic bag-of-words vector: each lower-cased word adds ±1 at a hashed index."""
    vector = np.zeros(dimension, dtype=np.float32)
    for word in _WORD.findall(text.lower()):
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        index = int.from_bytes(digest[:4], "little") % dimension
        vector[index] += 1.0 if digest[4] & 1 else -1.0
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        vector[0] = 1.0
        return vector
    return vector / norm


def last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(str(p.get("text", "")) for p in content if p.get("type") == "text")
    return ""


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    kind = "rate_limit_error" if status == 429 else "server_error"
    body = {"error": {"message": message, "type": kind, "code": str(status)}}
    return JSONResponse(body, status_code=status, headers=headers)


def _fault_response(reply: Reply) -> Response | None:
    if reply.fault == "500":
        return _error(500, "fake upstream failure")
    if reply.fault == "429":
        return _error(429, "fake rate limit", {"Retry-After": str(reply.retry_after)})
    return None


def _split(text: str, chunks: int | None) -> list[str]:
    if not text:
        return []
    if chunks is None:
        return re.findall(r"\s*\S+\s*", text) or [text]
    size = max(1, -(-len(text) // max(1, chunks)))
    return [text[i : i + size] for i in range(0, len(text), size)]


class FakeServer:
    def __init__(self, state: FakeState) -> None:
        self.state = state
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self.chat, methods=["POST"]),
                Route("/v1/embeddings", self.embeddings, methods=["POST"]),
                Route("/v1/rerank", self.rerank, methods=["POST"]),
                Route("/v1/models", self.models, methods=["GET"]),
            ]
        )

    async def _read(self, request: Request) -> dict[str, Any] | Response:
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(400, "body is not JSON")
        self.state.record(request.url.path, body, dict(request.headers))
        expected = self.state.api_key
        if expected is not None and request.headers.get("authorization") != f"Bearer {expected}":
            return JSONResponse({"error": {"message": "invalid api key", "type": "auth"}}, status_code=401)
        return body if isinstance(body, dict) else _error(400, "body is not an object")

    # ------------------------------------------------------------------ chat
    async def chat(self, request: Request) -> Response:
        body = await self._read(request)
        if isinstance(body, Response):
            return body
        messages = body.get("messages") or []
        user_text = last_user_text(messages)
        reply = self.state.next_reply("chat", user_text) or self._default_reply(body, user_text)
        if reply.first_byte_delay_s:
            await asyncio.sleep(reply.first_byte_delay_s)
        fault = _fault_response(reply)
        if fault is not None:
            return fault
        model = str(body.get("model") or CHAT_MODEL)
        prompt_tokens = count_messages_tokens(messages, body.get("tools"))
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            stream = self._stream(reply, model, prompt_tokens, include_usage)
            return StreamingResponse(stream, media_type="text/event-stream")
        if reply.fault == "malformed":
            return Response('{"id": "chatcmpl-x", "choices": [', media_type="application/json")
        payload = json.dumps(self._completion(reply, model, prompt_tokens)).encode()
        if reply.fault == "disconnect":
            return StreamingResponse(
                self._cut(payload),
                media_type="application/json",
                headers={"content-length": str(len(payload))},
            )
        return Response(payload, media_type="application/json")

    @staticmethod
    async def _cut(payload: bytes) -> AsyncIterator[bytes]:
        yield payload[: len(payload) // 2]
        raise DroppedConnection

    @staticmethod
    def _default_reply(body: dict[str, Any], user_text: str) -> Reply:
        response_format = body.get("response_format") or {}
        if response_format.get("type") in ("json_object", "json_schema"):
            return Reply(content=json.dumps({"echo": user_text}, ensure_ascii=False))
        return Reply(content=f"echo: {user_text}")

    @staticmethod
    def _usage(reply: Reply, prompt_tokens: int) -> dict[str, int]:
        if reply.usage is not None:
            prompt, completion = reply.usage
        else:
            arguments = "".join(name + args for name, args in reply.tool_calls)
            prompt = prompt_tokens
            completion = count_tokens(reply.content) + count_tokens(reply.reasoning) + count_tokens(arguments)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _completion(self, reply: Reply, model: str, prompt_tokens: int) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content or None}
        if reply.reasoning:
            message["reasoning_content"] = reply.reasoning
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": args}}
                for i, (name, args) in enumerate(reply.tool_calls)
            ]
        elif message["content"] is None:
            message["content"] = ""
        finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": self._usage(reply, prompt_tokens),
        }

    async def _stream(self, reply: Reply, model: str, prompt_tokens: int, include_usage: bool) -> AsyncIterator[bytes]:
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            data = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()

        pieces: list[bytes] = [chunk({"role": "assistant", "content": ""})]
        pieces += [chunk({"reasoning_content": part}) for part in _split(reply.reasoning, reply.chunks)]
        pieces += [chunk({"content": part}) for part in _split(reply.content, reply.chunks)]
        for index, (name, arguments) in enumerate(reply.tool_calls):
            head = {"index": index, "id": f"call_{index}", "type": "function"}
            pieces.append(chunk({"tool_calls": [{**head, "function": {"name": name, "arguments": ""}}]}))
            for part in _split(arguments, reply.chunks or 3):
                pieces.append(chunk({"tool_calls": [{"index": index, "function": {"arguments": part}}]}))
        finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        pieces.append(chunk({}, finish))
        if include_usage:
            usage = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [],
                "usage": self._usage(reply, prompt_tokens),
            }
            pieces.append(f"data: {json.dumps(usage)}\n\n".encode())
        pieces.append(b"data: [DONE]\n\n")

        if reply.fault == "malformed":
            pieces = [*pieces[:2], b'data: {"id": "chatcmpl-fake", "choices": [{"delta": {"content": \n\n']
        self.state.stream_started(1)
        try:
            for number, piece in enumerate(pieces):
                if reply.fault == "disconnect" and number == max(2, len(pieces) // 2):
                    raise DroppedConnection
                if number and reply.delay_s:
                    await asyncio.sleep(reply.delay_s)
                yield piece
            if reply.fault == "malformed":
                # a broken line, then silence until the client gives up: the client must not hang
                await asyncio.sleep(3600)
        finally:
            self.state.stream_started(-1)

    # ------------------------------------------------------- embeddings/rerank
    async def _scripted(self, endpoint: str) -> Response | None:
        reply = self.state.next_reply(endpoint)  # type: ignore[arg-type]
        if reply is None:
            return None
        if reply.first_byte_delay_s:
            await asyncio.sleep(reply.first_byte_delay_s)
        if reply.fault == "malformed":
            return Response("{not json", media_type="application/json")
        if reply.fault == "disconnect":
            return StreamingResponse(self._cut(b'{"data": [' + b" " * 64), media_type="application/json")
        return _fault_response(reply)

    async def embeddings(self, request: Request) -> Response:
        body = await self._read(request)
        if isinstance(body, Response):
            return body
        scripted = await self._scripted("embeddings")
        if scripted is not None:
            return scripted
        raw_input = body.get("input")
        texts = [raw_input] if isinstance(raw_input, str) else list(raw_input or [])
        if not all(isinstance(t, str) for t in texts):
            return _error(400, "input must be a string or a list of strings")
        model = str(body.get("model") or EMBEDDING_MODEL)
        dimension = int(body.get("dimensions") or self.state.dimension_for(model))
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        for index, text in enumerate(texts):
            vector = hashed_embedding(text, dimension)
            encoded: Any = base64.b64encode(vector.tobytes()).decode() if as_base64 else vector.tolist()
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(count_tokens(t) for t in texts)
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": model,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    async def rerank(self, request: Request) -> Response:
        body = await self._read(request)
        if isinstance(body, Response):
            return body
        scripted = await self._scripted("rerank")
        if scripted is not None:
            return scripted
        query = str(body.get("query") or "")
        documents = [d if isinstance(d, str) else str(d.get("text", "")) for d in body.get("documents") or []]
        query_vector = hashed_embedding(query, 1024)
        scores = [float(hashed_embedding(doc, 1024) @ query_vector) for doc in documents]
        order = sorted(range(len(documents)), key=lambda i: -scores[i])
        top_n = body.get("top_n")
        if isinstance(top_n, int) and top_n >= 0:
            order = order[:top_n]
        results: list[dict[str, Any]] = []
        for index in order:
            item: dict[str, Any] = {"index": index, "relevance_score": (scores[index] + 1) / 2}
            if body.get("return_documents"):
                item["document"] = {"text": documents[index]}
            results.append(item)
        tokens = count_tokens(query) * len(documents) + sum(count_tokens(d) for d in documents)
        return JSONResponse(
            {
                "id": "rerank-fake",
                "model": str(body.get("model") or RERANK_MODEL),
                "results": results,
                "usage": {"total_tokens": tokens},
            }
        )

    async def models(self, request: Request) -> Response:
        ids = [CHAT_MODEL, EMBEDDING_MODEL, RERANK_MODEL, *self.state.embedding_dimensions]
        data = [{"id": i, "object": "model", "created": 0, "owned_by": "fake"} for i in dict.fromkeys(ids)]
        return JSONResponse({"object": "list", "data": data})
