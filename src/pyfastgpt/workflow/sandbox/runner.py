"""Run user code in a child process: wall-clock timeout, memory limit, clean env, temp cwd."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent
PY_GUARD = _HERE / "py_guard.py"
JS_GUARD = _HERE / "js_guard.js"
# Evaluated inside the JS vm context, in this order (Buffer & co. first; the helpers use Buffer).
JS_PRELUDES = (_HERE / "js_web_apis.js", _HERE / "js_globals.js")
GUARD_MARGIN_S = 0.3  # the guard's own timeout fires this much before the hard kill


class SandboxError(Exception):
    """The code failed, timed out, ran out of memory or broke a sandbox rule."""


@dataclass(frozen=True)
class SandboxLimits:
    timeout_s: float = 10.0
    memory_mb: int = 256
    allow_network: bool = False
    node_binary: str = "node"


@dataclass(frozen=True)
class CodeRun:
    result: Any
    log: str = ""


async def run_code(language: str, code: str, variables: dict[str, Any], limits: SandboxLimits) -> Any:
    """Run `main(...)` of `code` (language `js` or `py`) and return its JSON result."""
    return (await run_code_with_log(language, code, variables, limits)).result


async def run_code_with_log(language: str, code: str, variables: dict[str, Any], limits: SandboxLimits) -> CodeRun:
    """Like `run_code`, also returning what the code printed (`console.log` / `print`)."""
    payload: dict[str, Any] = {"code": code, "variables": variables, "allow_network": limits.allow_network}
    with tempfile.TemporaryDirectory(prefix="pyfastgpt-code-") as workdir:
        env = {"PATH": "/usr/bin:/bin", "HOME": workdir, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        if language in ("py", "python"):
            # The guard lowers its own RLIMIT_AS before reading the code (no preexec_fn, so the
            # server process is not forked the slow way).
            payload["memory_mb"] = limits.memory_mb + 64
            payload["timeout_s"] = max(limits.timeout_s - GUARD_MARGIN_S, 0.1)
            argv = [sys.executable, "-I", "-S", "-B", str(PY_GUARD)]
        elif language in ("js", "javascript", ""):
            payload["timeout_ms"] = max(int((limits.timeout_s - GUARD_MARGIN_S) * 1000), 100)
            payload["timeout_label_ms"] = int(limits.timeout_s * 1000)
            payload["preludes"] = [_prelude_source(path) for path in JS_PRELUDES]
            permission = ["--experimental-permission", f"--allow-fs-read={JS_GUARD}"]
            argv = [
                limits.node_binary,
                f"--max-old-space-size={limits.memory_mb}",
                *(permission if await _node_has_permission_model(limits.node_binary) else []),
                "--no-warnings",
                str(JS_GUARD),
            ]
        else:
            raise SandboxError(f"Unsupported code type '{language}'")
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=workdir,
                env=env,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise SandboxError(f"Code runtime not found: {argv[0]}") from exc
        try:
            stdout, stderr = await asyncio.wait_for(
                process.communicate(json.dumps(payload, ensure_ascii=False).encode()), limits.timeout_s
            )
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise SandboxError(_timeout_message(language, limits)) from None
    return _parse(stdout, stderr, process.returncode, limits)


def _timeout_message(language: str, limits: SandboxLimits) -> str:
    """FastGPT's messages: the JS worker names the limit in ms, the Python one does not."""
    if language in ("py", "python"):
        return "Script execution timed out"
    return f"Script execution timed out after {int(limits.timeout_s * 1000)}ms"


@functools.cache
def _prelude_source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_NODE_PERMISSION: dict[str, bool] = {}


async def _node_has_permission_model(binary: str) -> bool:
    """Node.js >= 20 restricts file system and child processes with `--experimental-permission`."""
    if binary not in _NODE_PERMISSION:
        try:
            process = await asyncio.create_subprocess_exec(
                binary, "--version", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
            )
            out, _ = await process.communicate()
            major = int(out.decode().strip().lstrip("v").split(".")[0])
        except (OSError, ValueError):
            major = 0
        _NODE_PERMISSION[binary] = major >= 20
    return _NODE_PERMISSION[binary]


def _parse(stdout: bytes, stderr: bytes, returncode: int | None, limits: SandboxLimits) -> CodeRun:
    text = stdout.decode("utf-8", "replace").strip()
    try:
        answer = json.loads(text) if text else None
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "ok" in answer:
        if answer["ok"]:
            return CodeRun(result=answer.get("result"), log=str(answer.get("log") or ""))
        error = str(answer.get("error") or "error")
        if "MemoryError" in error:
            raise SandboxError(f"Code exceeded the memory limit of {limits.memory_mb} MB")
        raise SandboxError(error)
    err = stderr.decode("utf-8", "replace")
    if "heap out of memory" in err or "MemoryError" in err or returncode in (-9, 137, 134, -6):
        raise SandboxError(f"Code exceeded the memory limit of {limits.memory_mb} MB")
    last = err.strip().splitlines()[-1] if err.strip() else f"exit code {returncode}"
    raise SandboxError(f"Code run failed: {last}")
