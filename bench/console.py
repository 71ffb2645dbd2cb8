"""Web console: first meaningful paint of the chat page and of a 100-node workflow in the editor, and the
shipped bundle size, against a blank page served by the same server in the same run (Playwright timings in
Debian's Chromium).

"Meaningful" means: the chat page's message box is visible; the editor shows all 100 nodes. Each figure is
the median of `--runs` cold page loads (a new browser context each: empty cache), from navigation start.

Usage: python bench/console.py [--runs 7]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import httpx  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, build_console  # noqa: E402

from bench._load import free_port, process_server, uvicorn_cmd  # noqa: E402
from pyfastgpt.api.console import STATIC_DIR  # noqa: E402

NODES = 100


def workflow_of(size: int) -> dict[str, Any]:
    """workflowStart → (size - 1) text editor nodes in a grid, chained, each reading its predecessor."""
    start = {
        "nodeId": "workflowStartNodeId",
        "name": "Start",
        "flowNodeType": "workflowStart",
        "position": {"x": 0, "y": 0},
        "inputs": [{"key": "userChatInput", "renderTypeList": ["reference", "textarea"], "valueType": "string"}],
        "outputs": [{"id": "userChatInput", "key": "userChatInput", "valueType": "string", "type": "static"}],
    }
    nodes: list[dict[str, Any]] = [start]
    edges: list[dict[str, Any]] = []
    previous = start["nodeId"], "userChatInput"
    for index in range(1, size):
        node_id = f"text{index:03d}"
        nodes.append(
            {
                "nodeId": node_id,
                "name": f"Text {index}",
                "flowNodeType": "textEditor",
                "position": {"x": (index % 10) * 420, "y": (index // 10) * 300},
                "inputs": [
                    {
                        "key": "system_textareaInput",
                        "renderTypeList": ["textarea"],
                        "valueType": "string",
                        "label": "Text",
                        "value": f"step {index}: {{{{${previous[0]}.{previous[1]}$}}}}",
                    }
                ],
                "outputs": [{"id": "system_text", "key": "system_text", "valueType": "string", "type": "static"}],
            }
        )
        edges.append(
            {
                "source": previous[0],
                "target": node_id,
                "sourceHandle": f"{previous[0]}-source-right",
                "targetHandle": f"{node_id}-target-left",
            }
        )
        previous = node_id, "system_text"
    return {"nodes": nodes, "edges": edges}


def timed_load(browser: Browser, base: str, key: str | None, path: str, ready: Callable[[Page], None]) -> float:
    context = browser.new_context(base_url=base)
    if key:
        context.add_init_script(f"sessionStorage.setItem('pyfastgpt.key', {json.dumps(key)})")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(path, wait_until="commit")
    ready(page)
    elapsed = (time.perf_counter() - started) * 1000
    context.close()
    return elapsed


def bundle_size() -> tuple[int, int]:
    raw = packed = 0
    for file in (STATIC_DIR / "assets").iterdir():
        data = file.read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, 9))
    return raw, packed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    build_console()
    data_dir = tempfile.mkdtemp(prefix="bench-console-")
    env = {"DATA_DIR": data_dir, "LOG_LEVEL": "WARNING", "LOCAL_LLM_ENABLED": "false"}
    port = free_port()
    with process_server(uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True), port, env) as base:
        credentials = json.loads((Path(data_dir) / "credentials.json").read_text())
        root = credentials["rootKey"]
        headers = {"Authorization": f"Bearer {root}"}
        graph = workflow_of(NODES)
        created = httpx.post(
            base + "/api/core/app/create",
            headers=headers,
            json={"name": "100 nodes", "type": "advanced", **graph},
            timeout=30,
        )
        created.raise_for_status()
        big_app = created.json()["data"]
        demo_app = credentials["appId"]

        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            cases: dict[str, tuple[str | None, str, Callable[[Page], None]]] = {
                "blank page (baseline)": (None, "/healthz", lambda p: p.wait_for_load_state("load")),
                "chat page": (
                    root,
                    f"/apps/{demo_app}/chat",
                    lambda p: p.get_by_role("textbox").first.wait_for(state="visible"),
                ),
                f"editor, {NODES} nodes": (
                    root,
                    f"/apps/{big_app}/workflow",
                    lambda p: p.locator(".react-flow__node").nth(NODES - 1).wait_for(state="visible"),
                ),
            }
            # Warm the server's file cache and the OS page cache once.
            for key, path, ready in cases.values():
                timed_load(browser, base, key, path, ready)
            medians: dict[str, float] = {}
            for name, (key, path, ready) in cases.items():
                medians[name] = statistics.median(timed_load(browser, base, key, path, ready) for _ in range(args.runs))
            browser.close()

    raw, packed = bundle_size()
    blank = medians["blank page (baseline)"]
    print(f"console: median of {args.runs} cold loads (new context each) in Debian's Chromium, same server")
    for name, value in medians.items():
        print(f"  {name:<24} {value:8.1f} ms   {value / blank:5.1f}x the blank page")
    print(f"  bundle: {raw / 1024:.0f} KiB ({packed / 1024:.0f} KiB gzip) in {STATIC_DIR / 'assets'}")


if __name__ == "__main__":
    main()
