"""The ``fastgpt`` CLI: argument parsing, configuration, file discovery, progress rendering."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fastgpt_client.cli import build_parser, resolve_config
from fastgpt_client.cli.chat import ask_interactive, parse_variables
from fastgpt_client.cli.dataset_import import ProgressBar, collect_files
from fastgpt_client.stream_types import FastGPTInteractiveEvent


def test_flags_win_over_environment() -> None:
    args = build_parser().parse_args(["--api-key", "flag-key", "chat", "-m", "hi"])
    assert resolve_config(args, {"FASTGPT_API_KEY": "env", "FASTGPT_BASE_URL": "http://h:1/api"}) == (
        "http://h:1/api", "flag-key",
    )  # fmt: skip
    args = build_parser().parse_args(["chat"])
    assert resolve_config(args, {"FASTGPT_API_KEY": "env"}) == ("http://localhost:3000", "env")
    with pytest.raises(SystemExit):
        resolve_config(args, {})


def test_dataset_import_arguments() -> None:
    args = build_parser().parse_args(["dataset", "import", "a.txt", "docs", "--dataset-id", "d1"])
    assert (args.command, args.dataset_command, args.paths, args.dataset_id, args.training_type) == (
        "dataset", "import", ["a.txt", "docs"], "d1", "chunk",
    )  # fmt: skip


def test_parse_variables() -> None:
    assert parse_variables(["city=Paris", "n=3", "flags=[1,2]"]) == {"city": "Paris", "n": 3, "flags": [1, 2]}
    with pytest.raises(SystemExit):
        parse_variables(["novalue"])


def test_collect_files_walks_directories_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / ".git").mkdir()
    for name in ("docs/b.md", "docs/a.txt", "docs/sub/c.pdf", "docs/.git/config", "single.csv"):
        (tmp_path / name).write_text("x")
    found = collect_files([str(tmp_path / "docs"), str(tmp_path / "single.csv")])
    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "docs/a.txt", "docs/b.md", "docs/sub/c.pdf", "single.csv",
    ]  # fmt: skip
    with pytest.raises(SystemExit):
        collect_files([str(tmp_path / "missing")])


def test_progress_bar_draws_each_percent_once() -> None:
    out = io.StringIO()
    bar = ProgressBar("file.txt", out, width=10)
    for sent in (0, 1, 1, 50, 100):
        bar(sent, 100)
    bar.finish("done")
    frames = out.getvalue().split("\r")[1:]
    assert len(frames) == 4
    assert frames[-1].startswith("file.txt [##########] 100.0% 100/100 B done")
    assert bar.render(0, 0).endswith("100.0% 0/0 B")


def test_ask_interactive_select_and_form() -> None:
    select = FastGPTInteractiveEvent(
        data={"interactive": {"type": "userSelect", "params": {"userSelectOptions": [
            {"key": "a", "value": "Yes"}, {"key": "b", "value": "No"}]}}}
    )  # fmt: skip
    assert ask_interactive(select, io.StringIO("2\n"), io.StringIO()) == "No"
    assert ask_interactive(select, io.StringIO("Yes\n"), io.StringIO()) == "Yes"
    assert ask_interactive(select, io.StringIO(""), io.StringIO()) is None
    form = FastGPTInteractiveEvent(
        data={"interactive": {"type": "userInput", "params": {"inputForm": [
            {"key": "name", "label": "Name", "required": True}, {"key": "age", "label": "Age", "valueType": "number"}]}}}
    )  # fmt: skip
    out = io.StringIO()
    values = ask_interactive(form, io.StringIO("Ada\n36\n"), out)
    assert values == {"name": "Ada", "age": 36.0} and "Name *>" in out.getvalue()
    assert json.loads(form.form_answer(values)) == {"name": "Ada", "age": 36.0}  # type: ignore[arg-type]
