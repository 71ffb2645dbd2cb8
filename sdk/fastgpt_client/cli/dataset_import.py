"""``fastgpt dataset import``: upload files as ``localFile`` collections, with a progress bar."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from fastgpt_client._exceptions import APIError
from fastgpt_client._sync._client import FastGPTClient
from fastgpt_client._types import NOT_GIVEN


def collect_files(paths: Iterable[str]) -> list[Path]:
    """Files named directly, plus every non-hidden file under the named directories (sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    item
                    for item in path.rglob("*")
                    if item.is_file() and not any(part.startswith(".") for part in item.relative_to(path).parts)
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"fastgpt: no such file or directory: {raw}")
    return found


class ProgressBar:
    """A one-line text progress bar, redrawn in place on a terminal stream."""

    def __init__(self, label: str, stream: TextIO, width: int = 30) -> None:
        self.label = label
        self.stream = stream
        self.width = width
        self.last_percent = -1

    def render(self, sent: int, total: int) -> str:
        fraction = 1.0 if total <= 0 else min(1.0, sent / total)
        filled = round(fraction * self.width)
        return f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {fraction * 100:5.1f}% {sent}/{total} B"

    def __call__(self, sent: int, total: int) -> None:
        percent = 100 if total <= 0 else sent * 100 // total
        if percent != self.last_percent:
            self.last_percent = percent
            self.stream.write(self.render(sent, total))
            self.stream.flush()

    def finish(self, note: str) -> None:
        self.stream.write(f" {note}\n")
        self.stream.flush()


def run_import(client: FastGPTClient, args: argparse.Namespace, *, stderr: TextIO) -> int:
    files = collect_files(args.paths)
    failures = 0
    for number, path in enumerate(files, 1):
        bar = ProgressBar(f"[{number}/{len(files)}] {path.name}", stderr)
        bar(0, path.stat().st_size)
        try:
            result = client.datasets.collections.create_local_file(
                args.dataset_id,
                path,
                training_type=args.training_type,
                parent_id=args.parent_id if args.parent_id else NOT_GIVEN,
                on_progress=bar,
            )
        except APIError as exc:
            failures += 1
            bar.finish(f"failed: {exc}")
            continue
        bar.finish(f"collection {result.get('collectionId', '?')}")
    stderr.write(f"imported {len(files) - failures} of {len(files)} file(s)\n")
    return 1 if failures else 0
