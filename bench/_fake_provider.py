"""The fake OpenAI-compatible provider in a process of its own (so it does not share the load
generator's GIL), answering every chat with a 20-chunk reply at zero delay."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import uvicorn  # noqa: E402
from tests.fake_llm.script import FakeState, Reply  # noqa: E402
from tests.fake_llm.server import FakeServer  # noqa: E402

REPLY = Reply(content="one two three four five six seven eight nine ten " * 2, chunks=20)


def main() -> None:
    state = FakeState()
    state.rule("", REPLY)
    uvicorn.run(FakeServer(state).app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
