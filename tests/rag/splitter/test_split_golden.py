"""The splitter against chunks FastGPT's own splitText2Chunks produced for the same documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pyfastgpt.rag.splitter import split_text

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN: list[dict[str, Any]] = json.loads((DATA / "golden_splits.json").read_text())["cases"]


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['file']}-{case['chunkSize']}-{case.get('lengthUnit', 'char')}-deep{case['paragraphChunkDeep']}"


@pytest.mark.parametrize("case", GOLDEN, ids=[_case_id(c) for c in GOLDEN])
def test_matches_fastgpt_chunks(case: dict[str, Any]) -> None:
    text = (DATA / case["file"]).read_text()
    chunks = split_text(
        text,
        chunk_size=case["chunkSize"],
        overlap_ratio=case["overlapRatio"],
        custom_reg=case.get("customReg", []),
        max_size=case["maxSize"],
        paragraph_deep=case["paragraphChunkDeep"],
        mode=case.get("lengthUnit", "char"),
    )
    assert chunks == case["expected"]
