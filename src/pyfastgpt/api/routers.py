"""Every router of the HTTP API, mounted in one place (and the error statuses each declares in `/openapi.json`)."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from pyfastgpt.api import health
from pyfastgpt.api.console import mount_console
from pyfastgpt.api.core.ai import agent as question_guide_routes
from pyfastgpt.api.core.ai import model as model_routes
from pyfastgpt.api.core.app import app as app_routes
from pyfastgpt.api.core.app import log_users
from pyfastgpt.api.core.app import logs as log_routes
from pyfastgpt.api.core.app import version as version_routes
from pyfastgpt.api.core.chat import chat_test, feedback, history, history_status, init, quote, record, resume
from pyfastgpt.api.core.chat import file as chat_file_routes
from pyfastgpt.api.core.dataset import api_collection, collection, data, dataset, search_test, training
from pyfastgpt.api.deps import get_auth
from pyfastgpt.api.mcp import app as mcp_app_routes
from pyfastgpt.api.openapi_errors import document_errors
from pyfastgpt.api.support import mcp as mcp_routes
from pyfastgpt.api.support import openapi as key_routes
from pyfastgpt.api.support import outlink as share_routes
from pyfastgpt.api.support.user import team as team_routes
from pyfastgpt.api.system import file as system_file_routes
from pyfastgpt.api.v1.chat import completions as v1_completions
from pyfastgpt.api.v2.chat import completions as v2_completions
from pyfastgpt.api.v2.chat import stop as v2_stop


def include_routers(app: FastAPI) -> None:
    # Routes are matched in order: the chat endpoints, by far the busiest, come first.
    for module in (
        v1_completions,
        v2_completions,
        v2_stop,
        health,
        app_routes,
        version_routes,
        key_routes,
        share_routes,
        chat_test,
        chat_file_routes,
        system_file_routes,
        history,
        record,
        feedback,
        init,
        question_guide_routes,
        dataset,
        collection,
        data,
        training,
        search_test,
        log_routes,
        history_status,
        quote,
        api_collection,
        log_users,
        mcp_routes,
        mcp_app_routes,
        resume,
        team_routes,
    ):
        app.include_router(module.router)
    app.include_router(model_routes.router, dependencies=[Depends(get_auth)])
    document_errors(app)
    mount_console(app)
