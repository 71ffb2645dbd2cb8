"""What the request schemas of `/openapi.json` document beyond what pydantic checks.

Some rules are enforced by the services, with FastGPT's own error keys and messages (`appId is
empty`, `The text is empty`, …), and some fields default at runtime so that FastGPT's clients keep
working without them: an app-bound key or a share link implies its app, so `appId` may be left out,
but the root key and team keys must send it. The schema documents the portable contract (what every
caller must send, what every value must look like) and leaves runtime parsing as lenient as it was:
these helpers only change the JSON Schema, never validation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

APP_ID_DOC = (
    "The app. Required with the root key or a team key; an app-bound key or a share link "
    "(`shareId` + `outLinkUid`) implies its own app, so FastGPT's clients may leave it out."
)
NOT_BLANK: dict[str, Any] = {"pattern": r"\S"}
"""`json_schema_extra` of a text the service strips and refuses when nothing is left."""

JsonSchemaExtra = Callable[[dict[str, Any]], None]


def _is_text(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "string" or any(branch.get("type") == "string" for branch in prop.get("anyOf", ()))


def _documented_required(prop: dict[str, Any]) -> dict[str, Any]:
    """The property without its runtime default; a text one as a string of at least one character."""
    if not _is_text(prop):
        return {key: value for key, value in prop.items() if key != "default"}
    kept = {key: value for key, value in prop.items() if key in ("title", "description", "maxLength", "pattern")}
    return {**kept, "type": "string", "minLength": max(1, int(prop.get("minLength", 1)))}


def required_in_schema(*names: str, descriptions: dict[str, str] | None = None) -> JsonSchemaExtra:
    """A model `json_schema_extra`: `names` are documented as required (texts as non-empty strings)
    although they default at runtime (see the module doc); `appId` gets `APP_ID_DOC`."""
    notes = {"appId": APP_ID_DOC, **(descriptions or {})}

    def document(schema: dict[str, Any]) -> None:
        properties: dict[str, Any] = schema["properties"]
        required: list[str] = schema.setdefault("required", [])
        for name in names:
            prop = _documented_required(properties[name])
            if name in notes:
                prop["description"] = notes[name]
            properties[name] = prop
            if name not in required:
                required.append(name)

    return document


def query_parameters(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` declaring `model`'s fields as query parameters, for routes that read the query
    string (or a JSON body) themselves."""
    schema = model.model_json_schema()
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = {key: value for key, value in prop.items() if key != "title"}
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        parameter["schema"] = prop
        parameters.append(parameter)
    return {"parameters": parameters}


def app_id_query() -> dict[str, Any]:
    """`openapi_extra` for a route whose `appId` query parameter is hidden (`include_in_schema=False`)
    because it defaults at runtime: the documented, required form."""
    return {
        "parameters": [
            {
                "name": "appId",
                "in": "query",
                "required": True,
                "description": APP_ID_DOC,
                "schema": {"type": "string", "minLength": 1},
            }
        ]
    }
