"""`code`: run the node's JS or Python `main` in the sandbox; the returned object becomes outputs.

FastGPT `dispatchCodeSandbox` (packages/service/core/workflow/dispatch/tools/codeSandbox.ts):
the sandbox gets `system_addInputParam` as `variables`; on success the data is
`{system_rawResponse: codeReturn, ...codeReturn}` and the node response
`{customInputs, customOutputs, codeLog}`, with `codeReturn` as the tool response; on failure the
response is `{customInputs, errorText}` and the error output is the message (nodes saved before
`catchError` existed get `{error: {message}}` as plain data and continue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, node_error, register_node
from pyfastgpt.workflow.sandbox.runner import SandboxError, SandboxLimits, run_code_with_log

PYTHON_CODE_TYPES = frozenset({"py", "python", "python3"})


def sandbox_language(code_type: Any) -> str:
    """FastGPT posts to /sandbox/python only for `py`; every other code type runs as JS."""
    return "py" if str(code_type or "").lower() in PYTHON_CODE_TYPES else "js"


def spread_outputs(code_return: Any) -> dict[str, Any]:
    """JavaScript's `{...codeReturn}`: an object's keys, an array's or string's indexes, else nothing."""
    if isinstance(code_return, dict):
        return dict(code_return)
    if isinstance(code_return, (list, str)):
        return {str(index): item for index, item in enumerate(code_return)}
    return {}


def sandbox_variables(dynamic_inputs: Any) -> dict[str, Any]:
    """The `variables` FastGPT posts to its sandbox as JSON: inputs whose value is undefined (here
    None: an unset input, a missing variable, an output that was never produced) are dropped by
    JSON.stringify, so the code sees them as absent, while "" and [] pass unchanged."""
    if not isinstance(dynamic_inputs, dict):
        return {}
    return {str(key): value for key, value in dynamic_inputs.items() if value is not None}


@dataclass(slots=True)
class CodeInputs(NodeInputs):
    custom: Any = wire("system_addInputParam")
    code_type: Any = wire("codeType")
    code: Any = wire("code", "", or_default=True)


@register_node
class CodeNode(Node[CodeInputs]):
    node_type = "code"
    inputs_type = CodeInputs

    async def run(self, ctx: NodeContext, inputs: CodeInputs) -> NodeResult:
        variables = sandbox_variables(inputs.custom)
        settings = ctx.settings
        limits = SandboxLimits(
            timeout_s=settings.code_sandbox_timeout_s,
            memory_mb=settings.code_sandbox_memory_mb,
            allow_network=settings.code_sandbox_allow_network,
            node_binary=settings.node_binary,
        )
        language = sandbox_language(inputs.code_type)
        try:
            run = await run_code_with_log(language, str(inputs.code), variables, limits)
        except SandboxError as exc:
            text = str(exc)
            if ctx.node.raw.get("catchError") is None:  # apps saved before catchError existed
                return NodeResult(
                    data={"error": {"message": text}}, response={"customInputs": variables, "errorText": text}
                )
            return node_error(text, custom_error={"error": text}, custom_response={"customInputs": variables})
        code_return = run.result
        return NodeResult(
            data={"system_rawResponse": code_return, **spread_outputs(code_return)},
            response={"customInputs": variables, "customOutputs": code_return, "codeLog": run.log},
            tool_responses=code_return,
        )
