"""The small zh + en corpus every search test reads."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.rag.search.kb import Chunk, Collection

PASSWORD = Chunk(
    "如何重置登录密码？",
    "在登录页点击“忘记密码”，通过邮箱验证码验证身份后即可设置新密码。",
    {"lang": "zh", "year": 2024, "source": "faq"},
)
EXPORT = Chunk(
    "How do I export chat logs?",
    "Open the app's Logs tab and click Export to download every conversation as a CSV file.",
    {"lang": "en", "year": 2023, "source": "manual"},
)
MOTTO = Chunk("上海交通大学的校训是什么？", "饮水思源，爱国荣校。", {"lang": "zh", "year": 2022})
RATE_LIMIT = Chunk(
    "What is the rate limit of the API?",
    "Each API key may send at most 15 requests per second; extra requests get HTTP 429.",
    {"lang": "en", "year": 2024, "source": "manual", "labels": ["api", "limits"]},
)
EMBEDDING = Chunk("向量模型是什么？", "向量模型把一段文本转换成一个向量，用于语义检索。", {"lang": "zh", "year": 2024})
INSTALL = Chunk("Python installation", "Install the package with pip install pyfastgpt, then run pyfastgpt serve.")
CATS = Chunk("Cats are small domesticated mammals.", "They sleep for most of the day.", {"lang": "en"})
CATS_AGAIN = Chunk("Cats are small, domesticated mammals!", "They sleep for most of the day")
PARIS = Chunk("巴黎是法国的首都。", "", {"lang": "zh"})
FORBIDDEN = Chunk("How do I reset my login password?", "Forbidden collection: this answer must never be returned.")


def corpus() -> list[Collection]:
    return [
        Collection("guide", [PASSWORD, EXPORT, MOTTO], tags=["guide"], created=datetime(2024, 1, 10, tzinfo=UTC)),
        Collection(
            "api", [RATE_LIMIT, EMBEDDING, INSTALL], tags=["api", "guide"], created=datetime(2024, 6, 1, tzinfo=UTC)
        ),
        Collection("misc", [CATS, CATS_AGAIN, PARIS], created=datetime(2023, 3, 1, tzinfo=UTC)),
        Collection("hidden", [FORBIDDEN], tags=["guide"], forbid=True),
    ]
