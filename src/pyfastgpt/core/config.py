"""Settings, read from the environment (and an optional `.env` file).

Every field is documented in the README's settings table; a test checks that.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from pyfastgpt.core.cpu_work import default_processes


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- server ---
    host: str = Field("127.0.0.1", description="Address `pyfastgpt serve` binds to.")
    port: int = Field(3000, description="Port `pyfastgpt serve` listens on.")
    workers: int = Field(1, description="Number of server worker processes.")
    data_dir: Path = Field(Path("data"), description="Directory for the SQLite file, files and credentials.")
    database_url: str = Field(
        "",
        description="SQLAlchemy URL. Empty: SQLite file `<DATA_DIR>/pyfastgpt.db`. "
        "PostgreSQL: `postgresql+asyncpg://user:pass@host/db`.",
    )
    root_key: str = Field("", description="Root key for administration. Empty: generated on first start.")
    log_level: str = Field("INFO", description="Log level (DEBUG, INFO, WARNING, ERROR).")
    log_format: Literal["json", "text"] = Field("json", description="Log line format.")
    max_body_bytes: int = Field(20 * 1024 * 1024, description="Largest accepted request body, in bytes.")
    create_demo_app: bool = Field(True, description="Create a demo app and an app key on first start.")
    api_key_prefix: str = Field("fastgpt", description="Prefix of generated API keys (`<prefix>-<random>`).")
    openapi_key_max_count: int = Field(100, description="Most API keys one team member may hold.")
    credential_cache_s: float = Field(
        10.0,
        description="PostgreSQL: how long a replica keeps an API key or share link it has read; a change to it "
        "anywhere drops it at once (LISTEN/NOTIFY). Those with a usage limit are always read. 0: read them on every request.",
    )
    sqlite_busy_timeout_ms: int = Field(30_000, description="SQLite busy timeout, in milliseconds.")
    db_pool_size: int = Field(10, description="Connection pool size for PostgreSQL.")

    # --- workflow ---
    workflow_max_run_times: int = Field(500, description="Run budget of one workflow run (skips cost 0.1).")
    workflow_max_loop_times: int = Field(100, description="Most iterations of one loop node.")
    workflow_parallel_max_concurrency: int = Field(10, description="Most tasks one parallelRun node runs at once.")
    workflow_max_depth: int = Field(20, description="Most nested child-workflow levels.")
    code_sandbox_timeout_s: float = Field(10.0, description="Wall-clock limit of one code-node run, seconds.")
    code_sandbox_memory_mb: int = Field(256, description="Memory limit of one code-node run, MiB.")
    code_sandbox_allow_network: bool = Field(False, description="Let code nodes open network connections.")
    node_binary: str = Field("node", description="Node.js executable used by JavaScript code nodes.")

    # --- models ---
    models_config: Path | None = Field(None, description="Path of a YAML or JSON model registry file.")
    openai_base_url: str = Field("", description="Base URL of an OpenAI-compatible provider to add.")
    openai_api_key: str = Field("", description="API key for OPENAI_BASE_URL.")
    default_llm: str = Field("", description="Model id used when a node names none.")
    default_embedding: str = Field("", description="Embedding model id used when a dataset names none.")
    chat_title_model: str | None = Field(
        None, description="Model id that names a new chat from its first question; empty: its first 20 characters."
    )
    local_llm_gguf: str = Field("", description="Path of a GGUF file for the local LLM; empty: the bundled SmolLM2.")
    local_llm_enabled: bool = Field(True, description="Offer the local GGUF LLM when llama-cpp-python is installed.")
    llm_rerank_enabled: bool = Field(False, description="Offer the local LLM yes/no reranker.")
    model_timeout_s: float = Field(120.0, description="Timeout of one model provider call, seconds.")
    model_max_retries: int = Field(2, description="Retries of a model call on 429, 5xx and connection errors.")

    # --- knowledge base ---
    training_workers: int = Field(2, description="Concurrent training jobs per process (0: no in-process worker).")
    training_lease_s: float = Field(300.0, description="Lease of a claimed training job, seconds.")
    text_processes: int = Field(
        -1,
        description="Worker processes for ingestion's CPU-bound text work, per lane (uploads' splitting; training's"
        " indexes and full-text segmentation); 0: threads of the server process; -1: one per core beyond the first,"
        " at most two.",
    )
    vectors_waiting_max: int = Field(
        10_000,
        ge=0,
        description="PostgreSQL: vectors training may write ahead of their HNSW graph (searched exactly, about 1 µs"
        " a vector, until the idle training workers link them); 0: link each vector as it is written.",
    )
    link_fetch_allow_private: bool = Field(
        False, description="Allow link collections and workflow system tools to reach private/loopback addresses."
    )
    link_fetch_timeout_s: float = Field(20.0, description="Timeout of one link fetch, seconds.")
    link_fetch_max_bytes: int = Field(10 * 1024 * 1024, description="Largest page a link collection fetches.")
    upload_max_bytes: int = Field(100 * 1024 * 1024, description="Largest uploaded file, in bytes.")

    # --- files ---
    storage_backend: Literal["local", "s3"] = Field("local", description="Object storage: `local` or `s3`.")
    s3_endpoint_url: str = Field("", description="S3 endpoint URL (MinIO, AWS, …).")
    s3_bucket: str = Field("pyfastgpt", description="S3 bucket name.")
    s3_region: str = Field("us-east-1", description="S3 region.")
    s3_access_key: str = Field("", description="S3 access key id.")
    s3_secret_key: str = Field("", description="S3 secret access key.")
    file_url_secret: str = Field("", description="HMAC secret for signed file URLs; empty: derived from the data dir.")
    public_base_url: str = Field("", description="External base URL used in signed links; empty: from the request.")

    # --- share links ---
    share_hook_timeout_s: float = Field(10.0, description="Timeout of one share-link auth hook call, seconds.")

    # --- analytics ---
    timezone: str = Field("UTC", description="Timezone used to bucket analytics charts.")

    # --- observability (traces: the standard OTEL_* variables, see README) ---
    metrics_enabled: bool = Field(True, description="Serve Prometheus metrics at `/metrics` and record them.")
    metrics_token: str = Field(
        "", description="When set, `/metrics` requires `Authorization: Bearer <token>`; empty: open."
    )

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'pyfastgpt.db').resolve()}"

    @property
    def resolved_text_processes(self) -> int:
        return self.text_processes if self.text_processes >= 0 else default_processes()

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def storage_mode(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"


def get_settings() -> Settings:
    return Settings()
