"""Browser tests of the web console: the built console on a real server, driven in Debian's Chromium.

`console_server` is a SQLite server with a training worker and the fake LLM; `page` is a fresh browser
context per test (a screenshot lands in `test-artifacts/` when a test fails); `signed_in` signs in with
the root key through the sign-in form.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from pyfastgpt.api.console import STATIC_DIR
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer, serve

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = ROOT / "web"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The flags the machine needs: no sandbox as root, no GPU, and no background calls to the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def build_console() -> None:
    """Build web/ into the package unless a build newer than every source file is there."""
    index = STATIC_DIR / "index.html"
    sources = [p for p in (WEB_DIR / "src").rglob("*") if p.is_file()] + [WEB_DIR / "index.html"]
    if index.is_file() and index.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to build the console (make install installs it)")
    if not (WEB_DIR / "node_modules").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB_DIR, check=True)
    env = {**os.environ, "CONSOLE_OUT_DIR": str(STATIC_DIR)}
    subprocess.run([npm, "run", "build"], cwd=WEB_DIR, check=True, capture_output=True, env=env)


# Package scope: the Playwright driver runs its event loop on the main thread while it lives, so it must
# be gone before the tests of other packages call asyncio.run().
@pytest.fixture(scope="package")
def console_server(fake_llm: FakeLLM) -> Iterator[LiveServer]:
    build_console()
    settings = make_settings("sqlite", None, fake_llm, training_workers=1)
    with serve(settings, backend="sqlite", fake_llm=fake_llm) as live:
        yield live


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: `make install` installs Debian's chromium package")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, console_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=console_server.base_url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.nodeid.replace("/", "_").replace("::", "-")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def signed_in(page: Page, console_server: LiveServer) -> Page:
    page.goto("/login")
    page.get_by_label("Root key or team API key").fill(console_server.root_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Apps")).to_be_visible()
    return page
