# Runs inside the sandboxed Python process (started with -I -S). Reads {"code", "variables",
# "allow_network"} from stdin, installs an audit hook that refuses network, subprocesses and file
# access outside the temp working directory and the interpreter's own library, then calls
# main(**variables) and prints {"ok": true, "result": ...} or {"ok": false, "error": ...}.
import json
import os
import sys

_payload = json.loads(sys.stdin.read())
_root = os.path.realpath(os.getcwd())
_allowed = tuple(
    os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, _root}
)
_allow_network = bool(_payload.get("allow_network"))
_out = sys.stdout
_BLOCKED = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
    "ctypes.dlopen",
    "os.kill",
    "os.putenv",
    "os.unsetenv",
    "os.remove",
    "os.rename",
    "os.rmdir",
    "shutil.rmtree",
    "os.chmod",
    "os.chown",
    "os.symlink",
    "os.link",
)


def _inside(path: object) -> bool:
    try:
        real = os.path.realpath(os.fsdecode(path))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True  # file descriptors
    return any(real == base or real.startswith(base + os.sep) for base in _allowed)


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event in ("open", "os.listdir", "os.scandir") and args and args[0] is not None:
        target = args[0]
        if isinstance(target, int):
            return
        if not _inside(target):
            raise PermissionError(f"file access outside the sandbox is not allowed: {target}")
    elif event.startswith("socket.") and not _allow_network:
        raise PermissionError("network access is not allowed in code nodes")
    elif event.startswith(_BLOCKED):
        raise PermissionError(f"{event} is not allowed in code nodes")


def _emit(data: object) -> None:
    _out.write(json.dumps(data, ensure_ascii=False, default=str))
    _out.flush()


sys.addaudithook(_audit)
try:
    _scope = {"__name__": "__sandbox__"}
    exec(compile(_payload["code"], "<code>", "exec"), _scope)
    _main = _scope.get("main")
    if not callable(_main):
        raise NameError("the code must define a function main(...)")
    _result = _main(**_payload.get("variables", {}))
    _emit({"ok": True, "result": _result})
except BaseException as _exc:
    _emit({"ok": False, "error": f"{type(_exc).__name__}: {_exc}"})
