# Runs inside the sandboxed Python process (started with -I -S -B, clean env, temp cwd).
# Reads {"code", "variables", "allow_network", "memory_mb"} from stdin, lowers its own RLIMIT_AS,
# installs an audit hook (held only in a closure) that refuses network, subprocesses, native
# code, runtime introspection and file access outside the temp working directory and the
# interpreter's own library, then calls main(**variables) and prints {"ok": true, "result": ...}
# or {"ok": false, "error": ...}.
import io
import json
import os
import resource
import sys


def _install(payload: dict[str, object], out: object) -> None:
    limit = int(str(payload.get("memory_mb") or 256)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    root = os.path.realpath(os.getcwd())
    allowed = tuple(
        os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, root}
    )
    allow_network = bool(payload.get("allow_network"))
    realpath, fsdecode, sep = os.path.realpath, os.fsdecode, os.sep
    blocked = (
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.fork",
        "os.forkpty",
        "pty.spawn",
        "ctypes.",
        "os.kill",
        "os.putenv",
        "os.unsetenv",
        "os.remove",
        "os.rename",
        "os.rmdir",
        "os.chmod",
        "os.chown",
        "os.symlink",
        "os.link",
        "shutil.rmtree",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "sys._current_frames",
        "sys.setprofile",
        "sys.settrace",
        "function.__new__",
        "code.__new__",
    )
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
                raise PermissionError(f"file access outside the sandbox is not allowed: {args[0]}")
        elif event.startswith(network) and not allow_network:
            raise PermissionError("network access is not allowed in code nodes")
        elif event.startswith(blocked):
            raise PermissionError(f"{event} is not allowed in code nodes")

    sys.addaudithook(audit)


def _run() -> None:
    out = sys.stdout
    payload = json.loads(sys.stdin.read())
    code, variables = payload["code"], payload.get("variables", {})
    _install(payload, out)

    def emit(data: object) -> None:
        out.write(json.dumps(data, ensure_ascii=False, default=str))
        out.flush()

    log = io.StringIO()
    sys.stdout = log  # the user's print() output becomes the code log
    try:
        scope = {"__name__": "__sandbox__", "__builtins__": __builtins__}
        exec(compile(code, "<code>", "exec"), scope)
        main = scope.get("main")
        if not callable(main):
            raise NameError("the code must define a function main(...)")
        result = main(**variables)
        emit({"ok": True, "result": result, "log": log.getvalue()})
    except BaseException as exc:
        emit({"ok": False, "error": f"{type(exc).__name__}: {exc}", "log": log.getvalue()})


if __name__ == "__main__":
    _run()
