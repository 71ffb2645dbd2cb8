# Runs inside the sandboxed Python process (started with -I -S -B, clean env, temp cwd).
# Reads {"code", "variables", "allow_network", "memory_mb", "timeout_s"} from stdin, lowers its
# own limits, installs an audit hook (held only in a closure) that refuses network, subprocesses,
# native code, runtime introspection and file access outside the temp working directory and the
# interpreter's own library, blocks FastGPT's dangerous modules for imports made by the user's
# code, then calls main(...) the way FastGPT's code sandbox does and prints
# {"ok": true, "result": ..., "log": ...} or {"ok": false, "error": ..., "log": ...}.
import inspect
import io
import json
import math
import os
import resource
import signal
import sys
import time
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyfastgpt.workflow.sandbox import py_helpers
else:  # the sandboxed interpreter runs with -I -S: load the sibling module by path
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import py_helpers

    del sys.path[0]

USER_FILENAME = "<code>"
# FastGPT code-sandbox `_DANGEROUS_STDLIB` (python-bootstrap.py), plus the C modules behind them.
DANGEROUS_MODULES = frozenset(
    {
        "os", "subprocess", "shutil", "pathlib", "glob", "tempfile", "multiprocessing", "threading",
        "concurrent", "ctypes", "importlib", "runpy", "code", "codeop", "compileall", "socket", "http",
        "urllib", "ftplib", "smtplib", "poplib", "imaplib", "xmlrpc", "socketserver", "ssl", "asyncio",
        "selectors", "select", "signal", "resource", "pty", "termios", "tty", "fcntl", "mmap", "dbm",
        "sqlite3", "shelve", "webbrowser", "turtle", "tkinter", "idlelib", "venv", "ensurepip", "pip",
        "site", "gc", "sys", "builtins", "marshal", "pickle",
        "posix", "nt", "_posixsubprocess", "_ctypes", "_thread", "_signal", "_socket", "_ssl", "faulthandler",
    }
)  # fmt: skip
NETWORK_MODULES = frozenset(
    {"socket", "_socket", "ssl", "_ssl", "http", "urllib", "ftplib", "smtplib", "poplib", "imaplib", "xmlrpc"}
)
# FastGPT SANDBOX_PYTHON_ALLOWED_MODULES default (code-sandbox env.ts); third-party ones need installing.
ALLOWED_THIRD_PARTY = frozenset({"numpy", "pandas", "matplotlib"})
STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))


class SandboxViolation(PermissionError):
    """A sandbox rule was broken (reported with its message only, like FastGPT's str(e))."""


class ModuleNotAllowed(ImportError):
    """A blocked import; an ImportError, so user code can catch it as FastGPT's can."""


class ScriptTimeout(TimeoutError):
    pass


class MainCallError(TypeError):
    pass


PLAIN_MESSAGE_ERRORS = (SandboxViolation, ModuleNotAllowed, ScriptTimeout, MainCallError)


def _install(payload: dict[str, object]) -> None:
    limit = int(str(payload.get("memory_mb") or 256)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    import _posixsubprocess  # subprocess' fork_exec raises no audit event: replace it

    def no_subprocess(*args: Any, **kwargs: Any) -> int:
        raise SandboxViolation("subprocess is not allowed in code nodes")

    _posixsubprocess.fork_exec = no_subprocess
    root = os.path.realpath(os.getcwd())
    allowed = tuple(
        os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, root}
    )
    allow_network = bool(payload.get("allow_network"))
    realpath, fsdecode, sep = os.path.realpath, os.fsdecode, os.sep
    blocked = (
        "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
        "pty.spawn", "ctypes.", "os.kill", "os.putenv", "os.unsetenv", "os.remove", "os.rename", "os.rmdir",
        "os.chmod", "os.chown", "os.symlink", "os.link", "shutil.rmtree", "gc.get_objects", "gc.get_referrers",
        "gc.get_referents", "sys._current_frames", "sys.setprofile", "sys.settrace", "function.__new__",
        "code.__new__", "sys.addaudithook",
    )  # fmt: skip
    network = ("socket.", "urllib.Request", "http.client.connect", "ftplib.", "smtplib.", "telnetlib.")

    def inside(path: object) -> bool:
        try:
            real = realpath(fsdecode(path))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return True  # file descriptors
        return any(real == base or real.startswith(base + sep) for base in allowed)

    def audit(event: str, args: tuple[object, ...]) -> None:
        if event in ("open", "os.listdir", "os.scandir") and args and args[0] is not None:
            if not isinstance(args[0], int) and not inside(args[0]):
                raise SandboxViolation(
                    f"File system access is not allowed in sandbox: {args[0]} is outside the sandbox"
                )
        elif event.startswith(network) and not allow_network:
            raise SandboxViolation("network access is not allowed in code nodes")
        elif event.startswith(blocked):
            raise SandboxViolation(f"Operation {event} is not allowed in sandbox")

    sys.addaudithook(audit)
    _block_user_imports(allow_network)


def _block_user_imports(allow_network: bool) -> None:
    """FastGPT's `_safe_import`: only imports written in the user's code are checked."""
    import builtins

    original_import = builtins.__import__
    getframe = sys._getframe

    def guarded_import(name: str, *args: Any, **kwargs: Any) -> ModuleType:
        top = name.split(".")[0]
        permitted = (top in STDLIB and top not in DANGEROUS_MODULES) or top in ALLOWED_THIRD_PARTY
        if allow_network and top in NETWORK_MODULES:
            permitted = True
        if not permitted and getframe(1).f_code.co_filename == USER_FILENAME:
            message = f"Module '{name}' is not in the allowlist."
            if top in NETWORK_MODULES:
                message += " (network access is not allowed in code nodes)"
            raise ModuleNotAllowed(message)
        return original_import(name, *args, **kwargs)

    builtins.__import__ = guarded_import


def _arm_timeout(seconds: float) -> None:
    """FastGPT's SIGALRM timeout: a catchable TimeoutError first, SystemExit if that is swallowed."""
    fired = [0]

    def on_alarm(signum: int, frame: object) -> None:
        fired[0] += 1
        if fired[0] >= 2:
            raise SystemExit("Script execution timed out (forced)")
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        raise ScriptTimeout("Script execution timed out")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.1))


def call_main(main: object, variables: dict[str, object]) -> object:
    """FastGPT's `_call_main`: no params -> main(); one param -> the variable of that name, else the
    whole dict; more -> keyword arguments by name (a missing one without default is an error).
    A `**kwargs` main receives every variable (FastGPT would fail there)."""
    assert callable(main)
    try:
        params = list(inspect.signature(main).parameters.values())
    except (TypeError, ValueError):
        return main(variables)
    var_kinds = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    if not params:
        return main()
    if len(params) == 1 and params[0].kind not in var_kinds:
        name = params[0].name
        return main(variables[name]) if name in variables else main(variables)
    if len(params) == 1 and params[0].kind is inspect.Parameter.VAR_POSITIONAL:
        return main(variables)
    named = [p for p in params if p.kind not in var_kinds]
    for param in named:
        if param.name not in variables and param.default is inspect.Parameter.empty:
            raise MainCallError(f"Missing required argument: '{param.name}'")
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return main(**variables)
    return main(**{p.name: variables[p.name] for p in named if p.name in variables})


def _globals(variables: dict[str, object]) -> dict[str, object]:
    """The names FastGPT's sandbox defines for user code, then each variable by its key."""
    scope: dict[str, object] = {
        "__name__": "__sandbox__",
        "__builtins__": __builtins__,
        "variables": variables,
        "SystemHelper": py_helpers.system_helper,
        "system_helper": py_helpers.system_helper,
        "task_tmpdir": os.getcwd(),
        "count_token": py_helpers.count_token,
        "str_to_base64": py_helpers.str_to_base64,
        "create_hmac": py_helpers.create_hmac,
        "delay": py_helpers.delay,
        "http_request": py_helpers.http_request,
        "json": json,
        "math": math,
        "time": time,
    }
    reserved = frozenset(scope)
    scope.update({key: value for key, value in variables.items() if key not in reserved})
    return scope


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PLAIN_MESSAGE_ERRORS) or type(exc) is SystemExit:
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _run() -> None:
    out = sys.stdout
    payload = json.loads(sys.stdin.read())
    code, variables = str(payload["code"]), payload.get("variables") or {}
    _install(payload)

    def emit(data: object) -> None:
        out.write(json.dumps(data, ensure_ascii=False, default=str))
        out.flush()

    log = io.StringIO()
    sys.stdout = log  # the user's print() output becomes the code log
    try:
        _arm_timeout(float(payload.get("timeout_s") or 10))
        scope = _globals(variables)
        exec(compile(code, USER_FILENAME, "exec"), scope)
        main = scope.get("main")
        if not callable(main):
            raise MainCallError("No 'main' function defined")
        result = call_main(main, variables)
        signal.setitimer(signal.ITIMER_REAL, 0)
        emit({"ok": True, "result": result, "log": log.getvalue()})
    except BaseException as exc:
        signal.setitimer(signal.ITIMER_REAL, 0)
        emit({"ok": False, "error": _describe(exc), "log": log.getvalue()})


if __name__ == "__main__":
    _run()
