"""`code`: run the node's JS or Python `main` in the sandbox; result keys become outputs."""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import Node, NodeResult, node_error, register_node
from pyfastgpt.workflow.sandbox.runner import SandboxError, SandboxLimits, run_code_with_log


@register_node
class CodeNode(Node):
    node_type = "code"

    async def run(self, ctx: NodeContext) -> NodeResult:
        p = ctx.params
        variables: dict[str, Any] = dict(p.get("system_addInputParam") or {})
        settings = ctx.settings
        limits = SandboxLimits(
            timeout_s=settings.code_sandbox_timeout_s,
            memory_mb=settings.code_sandbox_memory_mb,
            allow_network=settings.code_sandbox_allow_network,
            node_binary=settings.node_binary,
        )
        language = str(p.get("codeType") or "js")
        try:
            run = await run_code_with_log(language, str(p.get("code") or ""), variables, limits)
        except SandboxError as exc:
            text = str(exc)
            if ctx.node.raw.get("catchError") is None:  # apps saved before catchError existed
                return NodeResult(
                    data={"error": {"message": text}}, response={"customInputs": variables, "errorText": text}
                )
            return node_error(text, custom_error={"error": text}, custom_response={"customInputs": variables})
        outputs = run.result if isinstance(run.result, dict) else {"result": run.result}
        return NodeResult(
            data={"system_rawResponse": outputs, **outputs},
            response={"customInputs": variables, "customOutputs": outputs, "codeLog": run.log},
            tool_responses=outputs,
        )
