"""The scale-out topology of deploy/ as local processes: `pyfastgpt init`, two `pyfastgpt serve`
replicas and one `pyfastgpt worker` on one PostgreSQL and one S3 bucket (moto).

All four start at once on a fresh database, as Kubernetes starts the init Job and the Deployments:
they migrate and initialise it together. No proxy: tests talk to each replica directly, so they
choose which replica answers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from pyfastgpt.core.config import Settings
from tests.fake_llm import FakeLLM
from tests.support.live import free_port

CLI = [sys.executable, "-m", "pyfastgpt"]
SRC = Path(__file__).resolve().parents[2] / "src"
ROOT_KEY = "root-topology-test-key"
FAKE_EMBEDDING = "fake-embedding"
START_LIMIT_S = 240.0  # two cores shared with other work: imports and migrations can be slow


@dataclass
class Replica:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60)


@dataclass
class Topology:
    replicas: list[Replica]
    worker: subprocess.Popen[bytes]
    worker_log: Path
    env: dict[str, str]
    logs: list[Path] = field(default_factory=list)

    @property
    def a(self) -> Replica:
        return self.replicas[0]

    @property
    def b(self) -> Replica:
        return self.replicas[1]

    def tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}" for log in self.logs)


def models_config(directory: Path, fake: FakeLLM) -> Path:
    path = directory / "models.yaml"
    path.write_text(
        f'providers:\n  fakeco: {{base_url: "{fake.base_url}", api_key: test-key}}\n'
        f"models:\n  - {{id: {FAKE_EMBEDDING}, type: embedding, provider: fakeco, dimension: 384}}\n"
    )
    return path


def shared_env(database_url: str, s3_endpoint: str, fake: FakeLLM, models: Path) -> dict[str, str]:
    """What every process of the deployment gets (compose.yaml's `x-pyfastgpt-env`)."""
    settings_names = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key not in settings_names}
    env.update(
        DATABASE_URL=database_url,
        ROOT_KEY=ROOT_KEY,
        STORAGE_BACKEND="s3",
        S3_ENDPOINT_URL=s3_endpoint,
        S3_BUCKET="topology",
        S3_ACCESS_KEY="test",
        S3_SECRET_KEY="test",
        OPENAI_BASE_URL=fake.base_url,
        OPENAI_API_KEY="test-key",
        DEFAULT_LLM="fake-llm",
        MODELS_CONFIG=str(models),
        DEFAULT_EMBEDDING=FAKE_EMBEDDING,
        LOCAL_LLM_ENABLED="false",
        CREATE_DEMO_APP="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(SRC),
    )
    return env


def _spawn(args: list[str], env: dict[str, str], data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:  # cwd: the process's own data dir (no stray .env is read)
        return subprocess.Popen(
            [*CLI, *args], cwd=data_dir, env={**env, "DATA_DIR": str(data_dir)}, stdout=out, stderr=subprocess.STDOUT
        )


def _stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait(timeout=30)


def _wait_healthy(replica: Replica, deadline: float) -> None:
    while True:
        try:
            if httpx.get(f"{replica.base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if replica.process.poll() is not None:
            raise RuntimeError(f"{replica.name} exited: {replica.log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{replica.name} never became healthy: {replica.log.read_text(errors='replace')[-3000:]}"
            )
        time.sleep(0.2)


@contextmanager
def run_topology(env: dict[str, str], *, replicas: int = 2) -> Iterator[Topology]:
    root = Path(tempfile.mkdtemp(prefix="pyfastgpt-topology-"))
    with ExitStack() as stack:
        init_log = root / "init.log"
        init = _spawn(["init"], env, root / "init", init_log)
        stack.callback(_stop, init)
        serving: list[Replica] = []
        for index in range(replicas):
            name = "ab"[index] if index < 2 else str(index)
            port, log = free_port(), root / f"api-{name}.log"
            serve_env = {**env, "TRAINING_WORKERS": "0"}  # the worker trains
            process = _spawn(["serve", "--host", "127.0.0.1", "--port", str(port)], serve_env, root / name, log)
            stack.callback(_stop, process)
            serving.append(Replica(name, f"http://127.0.0.1:{port}", process, log))
        worker_log = root / "worker.log"
        worker = _spawn(["worker"], {**env, "TRAINING_WORKERS": "1"}, root / "worker", worker_log)
        stack.callback(_stop, worker)
        deadline = time.monotonic() + START_LIMIT_S
        for replica in serving:
            _wait_healthy(replica, deadline)
        if init.wait(timeout=max(1.0, deadline - time.monotonic())) != 0:
            raise RuntimeError(f"pyfastgpt init failed: {init_log.read_text(errors='replace')[-3000:]}")
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited: {worker_log.read_text(errors='replace')[-3000:]}")
        logs = [init_log, *(r.log for r in serving), worker_log]
        yield Topology(serving, worker, worker_log, env, logs)
