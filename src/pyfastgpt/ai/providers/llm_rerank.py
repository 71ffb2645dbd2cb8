"""A reranker that asks a chat model, per document, whether it answers the query (off by default).

Score per document: 1.0 for an answer starting with "yes", 0.0 for "no", 0.5 when the model says
neither. Meant for the top few results of a search (each document is one model call); ties keep
the caller's order, so it refines rather than replaces the first-stage ranking.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from pyfastgpt.ai.protocols import ChatMessage, ChatModel, ChatRequest, RerankResult

PROMPT = (
    "Decide whether the document helps answer the question. Reply with one word: yes or no.\n\n"
    "Question: {query}\n\nDocument: {document}\n\nDoes the document help answer the question?"
)


class LLMRerankModel:
    def __init__(self, model_id: str, chat: ChatModel, *, max_document_chars: int = 2000) -> None:
        self.model_id = model_id
        self.chat = chat
        self.max_document_chars = max_document_chars

    async def rerank(self, query: str, documents: Sequence[str]) -> RerankResult:
        """One question per document, sent together (a local model still answers them one at a time)."""
        results = await asyncio.gather(*(self._judge(query, document) for document in documents))
        return RerankResult(scores=[score for score, _ in results], tokens=sum(tokens for _, tokens in results))

    async def _judge(self, query: str, document: str) -> tuple[float, int]:
        prompt = PROMPT.format(query=query, document=document[: self.max_document_chars])
        request = ChatRequest(messages=[ChatMessage(role="user", content=prompt)], temperature=0.0, max_tokens=3)
        result = await self.chat.complete(request)
        answer = result.content.strip().lower()
        score = 1.0 if answer.startswith("yes") else 0.0 if answer.startswith("no") else 0.5
        return score, result.usage.input_tokens + result.usage.output_tokens
