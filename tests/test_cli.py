"""The `pyfastgpt` command, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pyfastgpt.services.demo_app import demo_workflow
from tests.support.live import free_port

CLI = [sys.executable, "-m", "pyfastgpt"]


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ROOT_KEY")}
    return subprocess.run(
        [*CLI, *args, "--data-dir", str(data_dir)], capture_output=True, text=True, env=env, timeout=120
    )


def test_init_import_export_and_key_create(tmp_path: Path) -> None:
    init = run_cli("init", data_dir=tmp_path)
    assert init.returncode == 0, init.stderr
    assert "Root key:  root-" in init.stdout
    assert "App key:   fastgpt-" in init.stdout
    assert "/api/v1/chat/completions" in init.stdout
    export_file = tmp_path / "export.json"
    exported = demo_workflow("my-model")
    export_file.write_text(json.dumps(exported), "utf-8")
    imported = run_cli("app", "import", str(export_file), "--name", "Imported", data_dir=tmp_path)
    assert imported.returncode == 0, imported.stderr
    app_id = imported.stdout.strip()
    assert len(app_id) == 24
    again = run_cli("app", "export", app_id, data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == exported
    key = run_cli("key", "create", "--app", app_id, data_dir=tmp_path)
    assert key.returncode == 0, key.stderr
    assert key.stdout.strip().startswith("fastgpt-")
    missing = run_cli("app", "export", "0" * 24, data_dir=tmp_path)
    assert missing.returncode == 2
    assert "Application does not exist" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [{"nodeId": "a", "flowNodeType": "nope"}], "edges": []}', "utf-8")
    refused = run_cli("app", "import", str(bad), data_dir=tmp_path)
    assert refused.returncode == 2
    assert "unknown type 'nope'" in refused.stderr


def test_serve_prints_credentials_and_answers(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["ROOT_KEY"] = "root-for-this-test"
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert health.json()["storage"] == "sqlite"
        listed = httpx.post(
            f"http://127.0.0.1:{port}/api/core/app/list", json={}, headers={"rootkey": "root-for-this-test"}
        )
        assert listed.status_code == 200
        assert [a["name"] for a in listed.json()["data"]] == ["Demo Chat"]
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in output
    assert "Root key:  root-for-this-test" in output
    assert "App key:   fastgpt-" in output
