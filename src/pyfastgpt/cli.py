"""The `pyfastgpt` command: serve, init, app import/export, key create."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from pyfastgpt import __version__
from pyfastgpt.core.config import Settings
from pyfastgpt.services.apps import AppDraft
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.container import Services, start_services

T = TypeVar("T")

cli = typer.Typer(help="pyfastgpt: a FastGPT-compatible LLM application platform.", no_args_is_help=True)
app_cli = typer.Typer(help="Import and export apps (FastGPT app JSON).", no_args_is_help=True)
key_cli = typer.Typer(help="Manage API keys.", no_args_is_help=True)
cli.add_typer(app_cli, name="app")
cli.add_typer(key_cli, name="key")

DataDirOption = typer.Option(None, "--data-dir", help="Data directory (default: DATA_DIR or ./data).")


def _settings(data_dir: Path | None = None, **overrides: Any) -> Settings:
    if data_dir is not None:
        os.environ["DATA_DIR"] = str(data_dir)
    for key, value in overrides.items():
        if value is not None:
            os.environ[key.upper()] = str(value)
    return Settings()


def _with_services(settings: Settings, action: Callable[[Services], Awaitable[T]]) -> T:
    async def run() -> T:
        services = await start_services(settings)
        try:
            return await action(services)
        finally:
            await services.close()

    return asyncio.run(run())


def _root_ctx(services: Services) -> AuthContext:
    root = services.boot.root
    return AuthContext(team_id=root.team_id, tmb_id=root.tmb_id, auth_type="root")


def banner(settings: Settings, services: Services, host: str, port: int) -> str:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown_host}:{port}"
    boot = services.boot
    lines = [
        f"pyfastgpt {__version__} at {url}  (storage: {settings.storage_mode}, data: {settings.data_dir})",
        f"  Root key:  {boot.root_key or '(set by ROOT_KEY / stored hashed; not shown)'}",
        f"  Console:   {url}/  (sign in with the root key)",
    ]
    if boot.demo_app_id:
        lines.append(f"  Demo app:  {boot.demo_app_id}")
        lines.append(f"  App key:   {boot.demo_app_key or '(not shown)'}")
        key = boot.demo_app_key or "<app key>"
        body = '{"chatId":"hello","stream":false,"detail":false,"messages":[{"role":"user","content":"Hello!"}]}'
        lines += [
            "  Try it:",
            f"    curl -s {url}/api/v1/chat/completions \\",
            f"      -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\",
            f"      -d '{body}'",
        ]
    return "\n".join(lines)


@cli.command()
def init(data_dir: Path | None = DataDirOption) -> None:
    """Create the database, the default team, the root key and the demo app."""
    settings = _settings(data_dir)

    async def show(services: Services) -> str:
        return banner(settings, services, settings.host, settings.port)

    typer.echo(_with_services(settings, show))


@cli.command()
def serve(
    host: str | None = typer.Option(None, help="Bind address (default: HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default: PORT or 3000)."),
    data_dir: Path | None = DataDirOption,
    workers: int | None = typer.Option(None, help="Worker processes (default: WORKERS or 1)."),
) -> None:
    """Start the HTTP server on the embedded defaults."""
    import uvicorn

    settings = _settings(data_dir, host=host, port=port, workers=workers)

    async def show(services: Services) -> str:
        return banner(settings, services, settings.host, settings.port)

    typer.echo(_with_services(settings, show))
    sys.stdout.flush()
    uvicorn.run(
        "pyfastgpt.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="warning",
        access_log=False,
    )


@cli.command()
def worker(data_dir: Path | None = DataDirOption) -> None:
    """Run a training worker process (knowledge-base imports) until SIGTERM/SIGINT."""
    from pyfastgpt.services.dataset import run_worker

    asyncio.run(run_worker(_settings(data_dir)))


@app_cli.command("import")
def import_app(
    file: Path = typer.Argument(..., exists=True, readable=True, help="A FastGPT app export (JSON)."),
    name: str | None = typer.Option(None, help="App name (default: from the file or its file name)."),
    app_type: str | None = typer.Option(None, "--type", help="App type (default: from the file or advanced)."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Import a FastGPT app export and print the new app id."""
    try:
        data = json.loads(file.read_text("utf-8"))
    except ValueError as exc:
        raise typer.BadParameter(f"{file} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise typer.BadParameter(f"{file} must hold a JSON object")
    settings = _settings(data_dir)

    async def run(services: Services) -> str:
        draft = AppDraft(
            name=name or str(data.get("name") or file.stem),
            type=app_type or str(data.get("type") or "advanced"),
            intro=str(data.get("intro") or ""),
            avatar=str(data.get("avatar") or ""),
            nodes=data.get("nodes", data.get("modules", [])),
            edges=data.get("edges", []),
            chat_config=data.get("chatConfig", {}),
        )
        return await services.apps.create(_root_ctx(services), draft)

    typer.echo(_with_services(settings, run))


@app_cli.command("export")
def export_app(app_id: str = typer.Argument(...), data_dir: Path | None = DataDirOption) -> None:
    """Print an app's published workflow as FastGPT export JSON."""
    settings = _settings(data_dir)

    async def run(services: Services) -> dict[str, Any]:
        published = await services.apps.published(_root_ctx(services), app_id)
        return {"nodes": published.nodes, "edges": published.edges, "chatConfig": published.chat_config}

    typer.echo(json.dumps(_with_services(settings, run), ensure_ascii=False, indent=2))


@key_cli.command("create")
def create_key(
    app: str | None = typer.Option(None, "--app", help="Bind the key to this app id (default: a team key)."),
    name: str = typer.Option("Api Key", help="Key name."),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Create an API key and print it (the only time it is shown)."""
    from pyfastgpt.services.keys import KeyLimit

    settings = _settings(data_dir)

    async def run(services: Services) -> str:
        return await services.keys.create(_root_ctx(services), name=name, app_id=app, limit=KeyLimit())

    typer.echo(_with_services(settings, run))


def main() -> None:
    from pyfastgpt.core.errors import AppError

    try:
        cli()
    except AppError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise SystemExit(2) from exc
