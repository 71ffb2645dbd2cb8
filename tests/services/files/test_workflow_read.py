"""The workflow's `readFiles` node reading uploaded chat files through `StoredFileReader`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx

from pyfastgpt.ai.registry import build_registry
from pyfastgpt.core.config import Settings
from pyfastgpt.services.files import StoredFileReader
from pyfastgpt.store.objects import LocalObjectStore, UrlSigner
from pyfastgpt.workflow.runner import RunInput, WorkflowDeps
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node


def read_files_graph() -> dict[str, Any]:
    node: dict[str, Any] = {
        "nodeId": "rf",
        "flowNodeType": "readFiles",
        "name": "Read files",
        "inputs": [
            {
                "key": "fileUrlList",
                "renderTypeList": ["reference"],
                "valueType": "arrayString",
                "value": [["start", "userFiles"]],
            }
        ],
        "outputs": [{"id": "system_text", "key": "system_text", "type": "static", "valueType": "string"}],
    }
    return {
        "nodes": [start_node(), node, answer_node("a", ["rf", "system_text"])],
        "edges": [edge("start", "rf"), edge("rf", "a")],
    }


async def test_read_files_node_reads_uploads_from_storage(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, local_llm_enabled=False, log_level="WARNING")
    store = LocalObjectStore(tmp_path / "files", UrlSigner(b"w" * 32))
    document = docx.Document()
    document.add_paragraph("Delivery within 5 working days.")
    buffer = io.BytesIO()
    document.save(buffer)
    await store.put("chat/app/u/c/r1/terms.docx", buffer.getvalue(), "application/octet-stream")
    good = await store.presign_get("chat/app/u/c/r1/terms.docx", expires_s=60, base_url="http://10.0.0.1:3000")
    stale = await store.presign_get("chat/app/u/c/r1/terms.docx", expires_s=-1, base_url="http://10.0.0.1:3000")
    registry = build_registry(settings)
    try:
        deps = WorkflowDeps(registry=registry, settings=settings, file_reader=StoredFileReader(store, settings))
        query = [
            {"type": "text", "text": {"content": "summarise"}},
            {"type": "file", "file": {"type": "file", "name": "terms.docx", "url": good}},
            {"type": "file", "file": {"type": "file", "name": "terms.docx", "url": stale}},
        ]
        result, _ = await run_graph(deps, read_files_graph(), RunInput(query=query))
    finally:
        await registry.aclose()
    text = answer_text(result)
    assert "File: terms.docx\n<Content>\nDelivery within 5 working days.\n</Content>" in text
    assert "[read error: The link to terms.docx is forged or has expired]" in text
