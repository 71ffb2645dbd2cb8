"""The web console: the Vite build in `console_static/`, served at `/` (built by `make install` from `web/`).

Only the console's own paths answer `index.html`; every other unknown path keeps the API's 404 envelope.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

import pyfastgpt

# PYFASTGPT_CONSOLE_DIR points at another build (parallel test runs, packagers).
STATIC_DIR = Path(os.environ.get("PYFASTGPT_CONSOLE_DIR") or Path(pyfastgpt.__file__).parent / "console_static")
# Client-side routes of web/src/App.tsx.
PAGE_PATHS = ("/", "/login", "/apps", "/apps/{rest:path}", "/datasets", "/datasets/{rest:path}", "/chat/share")
NOT_BUILT = """<!doctype html><html><head><meta charset="utf-8"><title>pyfastgpt</title></head>
<body style="font-family:system-ui;margin:40px"><h1>pyfastgpt</h1>
<p>The web console is not built. Install Node.js and npm, then run <code>make install</code>
(it runs <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>). The API is up: see
<a href="/docs">/docs</a>.</p></body></html>"""

router = APIRouter(include_in_schema=False)


async def console_page() -> Response:
    index = STATIC_DIR / "index.html"
    if not index.is_file():
        return HTMLResponse(NOT_BUILT)
    # The page names hashed assets: it must be revalidated, the assets may be cached for good.
    return FileResponse(index, headers={"Cache-Control": "no-cache"})


for _path in PAGE_PATHS:
    router.add_api_route(_path, console_page, methods=["GET"])


class ImmutableStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def mount_console(app: FastAPI) -> None:
    app.include_router(router)
    assets = STATIC_DIR / "assets"
    app.mount("/assets", ImmutableStaticFiles(directory=assets, check_dir=False), name="console-assets")
