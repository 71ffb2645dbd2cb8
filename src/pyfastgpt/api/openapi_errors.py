"""What `/openapi.json` says an operation answers besides its success: FastGPT's error envelope
`{code, statusText, message, data}` under each status the operation really answers, and the media
types of the routes that stream.

FastAPI documents a `422 Validation Error` for every route that has parameters; this server answers
bad input with a 400 envelope instead (`api/errors.py`), so that entry and its schemas go. The
statuses an operation declares come from:

* every operation: 500, the envelope of an unexpected error (`api/errors.py`);
* the route's shape: 400 when it reads parameters or a body (validation, the JSON body guard of
  `api/middleware.py`), 413 when it reads a body (`BodySizeLimitMiddleware`), 401 and 403 when it
  takes a credential (a missing or unknown key; a key without the rights or over its usage limit);
* `ANSWERS` below, keyed by endpoint: what the route's services raise (404 for a lookup by id, 409,
  429, 502, ...), read from the services and checked by schemathesis (`tests/api/test_schemathesis.py`).

`document_errors(app)` wraps `app.openapi` once; FastAPI still builds and caches the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from pyfastgpt.api import deps
from pyfastgpt.api.core.ai import agent
from pyfastgpt.api.core.app import app as apps
from pyfastgpt.api.core.app import log_users, logs, version
from pyfastgpt.api.core.chat import chat_test, feedback, file, history, history_status, init, quote, record, resume
from pyfastgpt.api.core.dataset import api_collection, collection, data, dataset, search_test, training
from pyfastgpt.api.envelope import ErrorEnvelope
from pyfastgpt.api.support import mcp, openapi, outlink
from pyfastgpt.api.support.user import team
from pyfastgpt.api.system import file as system_file
from pyfastgpt.api.v1.chat import completions as v1
from pyfastgpt.api.v2.chat import completions as v2
from pyfastgpt.api.v2.chat import stop as v2_stop

Endpoint = Callable[..., Any]
ENVELOPE_SCHEMA = "ErrorEnvelope"
ENVELOPE_CONTENT = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ENVELOPE_SCHEMA}"}}}

DESCRIPTIONS: dict[int, str] = {
    400: "Invalid parameters or body: FastGPT's envelope (`invalidParams`, `missingParams`, …)",
    401: "Missing, unknown or expired credential (`unAuthorization`, `unAuthApiKey`)",
    403: "The credential may not do this, or is over a limit (`unAuthApp`, `unAuthLink`, `openapiExceedLimit`, …)",
    404: "A resource the request names does not exist (`appUnExist`, `unExistDataset`, `invalidResource`, …)",
    406: "The chat is still generating: retry with `Accept: text/event-stream`",
    409: "Conflict: the chat is still generating (`chatIsGenerating`) or the resource already exists",
    413: "The request body (or the uploaded file) is too large",
    415: "The upload's content type is not the signed one, or its bytes are not that type",
    429: "Too many requests (`tooManyRequest`), with `Retry-After`",
    500: "Internal server error",
    502: "A model or a remote server (API dataset, link) failed",
}

SSE = "text/event-stream"
# One server-sent event (FastGPT's named events with `detail`, OpenAI chunks in `data` otherwise).
SSE_EVENT: dict[str, Any] = {
    "schema": {
        "type": "object",
        "properties": {"event": {"type": "string"}, "data": {"type": "string"}, "id": {"type": "string"}},
    }
}


def _table(*rows: tuple[Iterable[int], Iterable[Endpoint]]) -> dict[Endpoint, frozenset[int]]:
    table: dict[Endpoint, set[int]] = {}
    for statuses, endpoints in rows:
        for endpoint in endpoints:
            table.setdefault(endpoint, set()).update(statuses)
    return {endpoint: frozenset(statuses) for endpoint, statuses in table.items()}


# fmt: off
ANSWERS: dict[Endpoint, frozenset[int]] = _table(
    # A stored resource named by id (app, chat, message, dataset, collection, data, key, link, team,
    # member, file), or a share link that does not exist.
    (
        [404],
        [
            v1.completions, v2.completions, v2_stop.stop, chat_test.chat_test, resume.resume,
            apps.create_app, apps.app_detail_route, apps.update_app, apps.delete_app, apps.copy_app,
            apps.create_folder, version.publish, version.list_versions, version.latest, version.detail,
            openapi.create_key, openapi.list_keys, openapi.update_key, openapi.delete_key,
            outlink.create_link, outlink.list_links, outlink.update_link, outlink.delete_link,
            file.presign_chat_file_post_url, file.presign_chat_file_get_url, file.presign_chat_file_get_url_query,
            system_file.upload_put, system_file.upload_post, system_file.read_file,
            history.get_histories, history.update_history, history.del_history, history.clear_histories,
            history.batch_delete, history_status.get_history_status, history_status.mark_read,
            record.get_pagination_records, record.get_records_v2, record.get_res_data, record.delete_items,
            feedback.update_user_feedback, feedback.close_custom, feedback.admin_update,
            init.init_chat, init.init_share_chat, quote.get_quote, quote.get_collection_quote,
            agent.create_question_guide,
            dataset.create_dataset, dataset.dataset_detail, dataset.update_dataset, dataset.delete_dataset,
            collection.create_collection, collection.create_text, collection.create_link,
            collection.create_local_file, collection.list_v2, collection.list_legacy, collection.detail,
            collection.update_collection, collection.delete_collection,
            api_collection.create_api_collection, api_collection.create_api_collection_v2,
            data.push_data, data.insert_data, data.list_data, data.data_detail, data.update_data, data.delete_data,
            training.training_queue, training.training_errors, training.update_training_data,
            training.delete_training_data, training.rebuild_embedding, search_test.search_test,
            logs.get_total_data, logs.get_chart_data, logs.list_chat_logs, logs.export_chat_logs,
            log_users.get_users,
            mcp.create_mcp, mcp.update_mcp, mcp.delete_mcp,
            team.update_team, team.list_members, team.count_members, team.create_member, team.update_member,
            team.update_member_name, team.delete_member, team.create_team_key, team.list_team_keys,
        ],
    ),
    # Routes that read their query string or body themselves (FastAPI cannot see them validate it):
    # DELETEs with the ids in the query, a JSON body, multipart forms, raw uploads.
    ([400], [history.del_history, history.clear_histories, record.delete_items]),
    ([400, 413], [collection.delete_collection, collection.create_local_file, system_file.upload_post, system_file.upload_put]),
    # Grants of the signed file URLs (no credential: the signature is the grant).
    ([403], [system_file.upload_put, system_file.upload_post, system_file.read_file]),
    ([413, 415], [system_file.upload_put, system_file.upload_post]),
    ([406], [resume.resume]),
    # A round already running on the chat; an API collection imported twice.
    ([409], [v1.completions, v2.completions, chat_test.chat_test, api_collection.create_api_collection]),
    # Share-link QPM on chat rounds; chat-file upload frequency.
    ([429], [v1.completions, v2.completions, file.presign_chat_file_post_url]),
    # Model calls answered in the request, API-dataset servers.
    (
        [502],
        [
            agent.create_question_guide, agent.create_question_guide_v1, search_test.search_test,
            api_collection.create_api_collection, api_collection.create_api_collection_v2,
        ],
    ),
)
# fmt: on

# Success answers that are not (only) JSON: SSE streams, the CSV export and stored files.
SUCCESS_MEDIA: dict[Endpoint, dict[str, Any]] = {
    v1.completions: {SSE: SSE_EVENT},
    v2.completions: {SSE: SSE_EVENT},
    chat_test.chat_test: {SSE: SSE_EVENT},
    resume.resume: {SSE: SSE_EVENT},
    logs.export_chat_logs: {"text/csv": {"schema": {"type": "string"}}},
    system_file.read_file: {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}
ONLY_MEDIA = {logs.export_chat_logs, system_file.read_file}  # these never answer JSON on success

CREDENTIAL_DEPENDENCIES = (deps.get_auth, deps.get_caller, deps.get_optional_auth)


def _calls(dependant: Dependant) -> set[Any]:
    calls: set[Any] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        calls.add(current.call)
        stack.extend(current.dependencies)
    return calls


def _takes_input(dependant: Dependant) -> tuple[bool, bool]:
    """(reads parameters or a body, reads a body) anywhere in the dependency tree."""
    params = body = False
    stack = [dependant]
    while stack:
        current = stack.pop()
        params = params or bool(current.path_params or current.query_params or current.header_params)
        body = body or bool(current.body_params)
        stack.extend(current.dependencies)
    return params or body, body


def statuses_of(endpoint: Endpoint, dependant: Dependant) -> set[int]:
    """Every error status the operation answers."""
    statuses = {500, *ANSWERS.get(endpoint, ())}
    reads_input, reads_body = _takes_input(dependant)
    if reads_input:
        statuses.add(400)
    if reads_body:
        statuses.add(413)
    if _calls(dependant) & set(CREDENTIAL_DEPENDENCIES):
        statuses |= {401, 403}
    return statuses


@dataclass(frozen=True, slots=True)
class MountedRoute:
    """An API route as `/openapi.json` documents it: where it is mounted, with which dependencies."""

    endpoint: Endpoint
    path: str
    methods: frozenset[str]
    dependant: Dependant
    body_field: Any  # FastAPI's field of the request body, or None


def mounted_routes(app: FastAPI) -> list[MountedRoute]:
    # Newer FastAPI mounts included routers lazily (route contexts); older ones list the APIRoutes flat.
    contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    routes: Iterable[Any] = contexts(app.routes) if contexts is not None else app.routes
    found = []
    for route in routes:
        original = getattr(route, "original_route", route)
        if isinstance(original, APIRoute) and getattr(route, "include_in_schema", False):
            methods = frozenset(route.methods or ())
            found.append(MountedRoute(original.endpoint, route.path_format, methods, route.dependant, route.body_field))
    return found


def _document(spec: dict[str, Any], app: FastAPI) -> None:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas[ENVELOPE_SCHEMA] = ErrorEnvelope.model_json_schema()
    for route in mounted_routes(app):
        for method in route.methods:
            operation = spec["paths"][route.path][method.lower()]
            responses: dict[str, Any] = operation["responses"]
            if responses.get("422", {}).get("description") == "Validation Error":
                del responses["422"]
            for status in sorted(statuses_of(route.endpoint, route.dependant)):
                responses[str(status)] = {"description": DESCRIPTIONS[status], "content": ENVELOPE_CONTENT}
            media = SUCCESS_MEDIA.get(route.endpoint)
            if media is not None:
                content = responses["200"].setdefault("content", {})
                if route.endpoint in ONLY_MEDIA:
                    content.clear()
                content.update(media)


def document_errors(app: FastAPI) -> None:
    """Make `app.openapi()` declare the envelope statuses of every operation (see the module doc)."""
    generate = app.openapi
    done: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        spec = generate()
        if not done or done[0] is not spec:  # FastAPI rebuilt its cached document
            _document(spec, app)
            done[:] = [spec]
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
