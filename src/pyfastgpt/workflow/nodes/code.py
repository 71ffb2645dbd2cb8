"""`code`: run the node's JS or Python `main` in the sandbox; result keys become outputs."""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import Node, NodeResult, node_error, register_node
from pyfastgpt.workflow.sandbox.runner import SandboxError, SandboxLimits, run_code


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
            result = await run_code(language, str(p.get("code") or ""), variables, limits)
        except SandboxError as exc:
            return node_error(exc, custom_response={"customInputs": variables})
        outputs = result if isinstance(result, dict) else {"result": result}
        return NodeResult(
            data={"system_rawResponse": outputs, **outputs},
            response={"customInputs": variables, "customOutputs": outputs},
            tool_responses=outputs,
        )
