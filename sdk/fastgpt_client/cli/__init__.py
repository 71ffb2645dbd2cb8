"""The ``fastgpt`` command line: chat with an app, import files into a dataset.

    fastgpt chat                       interactive chat (streams answers; answers select/form nodes)
    fastgpt chat -m "Hello"            one-shot
    fastgpt dataset import PATH... --dataset-id ID

Configuration: ``--base-url``/``--api-key`` or ``FASTGPT_BASE_URL``/``FASTGPT_API_KEY``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from fastgpt_client._base import DEFAULT_BASE_URL
from fastgpt_client._exceptions import FastGPTError
from fastgpt_client.cli.chat import run_chat
from fastgpt_client.cli.dataset_import import run_import
from fastgpt_client.client import FastGPTClient


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fastgpt", description="FastGPT command line client")
    parser.add_argument("--base-url", default=None, help=f"server origin (env FASTGPT_BASE_URL, {DEFAULT_BASE_URL})")
    parser.add_argument("--api-key", default=None, help="API key (env FASTGPT_API_KEY)")
    parser.add_argument("--timeout", type=float, default=120.0, help="request timeout in seconds")
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="chat with an app (interactive unless -m is given)")
    chat.add_argument("-m", "--message", help="send one message, print the answer and exit")
    chat.add_argument("--chat-id", help="conversation id (a new one is made when omitted)")
    chat.add_argument("--app-id", help="app id, for keys that are not bound to an app")
    chat.add_argument("--detail", action="store_true", help="show workflow node statuses")
    chat.add_argument("--var", action="append", default=[], metavar="KEY=VALUE", help="a workflow variable")

    dataset = commands.add_parser("dataset", help="dataset tools")
    dataset_commands = dataset.add_subparsers(dest="dataset_command", required=True)
    importer = dataset_commands.add_parser("import", help="upload files as localFile collections")
    importer.add_argument("paths", nargs="+", help="files or directories (directories are walked)")
    importer.add_argument("--dataset-id", required=True)
    importer.add_argument("--training-type", default="chunk", choices=["chunk", "qa"])
    importer.add_argument("--parent-id", default=None, help="collection folder to import into")
    return parser


def resolve_config(args: argparse.Namespace, environ: dict[str, str] | os._Environ[str]) -> tuple[str, str]:
    """``(base_url, api_key)`` from the flags, else the environment; exits when the key is missing."""
    base_url = args.base_url or environ.get("FASTGPT_BASE_URL") or DEFAULT_BASE_URL
    api_key = args.api_key or environ.get("FASTGPT_API_KEY") or ""
    if not api_key:
        raise SystemExit("fastgpt: no API key (pass --api-key or set FASTGPT_API_KEY)")
    return base_url, api_key


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    base_url, api_key = resolve_config(args, os.environ)
    try:
        with FastGPTClient(api_key=api_key, base_url=base_url, timeout=args.timeout) as client:
            if args.command == "chat":
                return run_chat(client, args, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
            return run_import(client, args, stderr=sys.stderr)
    except FastGPTError as exc:
        print(f"fastgpt: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
