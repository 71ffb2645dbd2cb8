"""`mathExprVal` (数学公式执行): evaluate a math expression like FastGPT's `expr-eval` parser.

FastGPT: fastgpt-plugin `modules/tool/packages/mathExprVal` (4.10+; 4.9:
`packages/plugins/src/mathExprVal`). Input `expr` (old key `数学表达式`); `**` is rewritten to `^`;
output `result` — the value, or for an invalid expression the text
``<expr> is not a valid math expression. Error: Error: <reason>`` (not a node error).
"""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.system_tools import SystemTool, register_tool
from pyfastgpt.workflow.system_tools.expr_eval import ExprError, evaluate, js_result


@register_tool
class MathExprTool(SystemTool):
    tool_id = "mathExprVal"
    aliases = ("community-mathExprVal", "systemTool-mathExprVal")
    name = "数学公式执行"
    intro = "用于执行数学表达式的工具，通过 js 的 expr-eval 库运行表达式并返回结果。"
    avatar = "core/workflow/template/mathCall"

    async def run(self, ctx: NodeContext, inputs: dict[str, Any]) -> dict[str, Any]:
        expr = inputs.get("expr")
        if expr in (None, ""):
            expr = inputs.get("数学表达式")
        if expr in (None, ""):
            raise NodeRunError('必须传入 "数学表达式" 或 "expr" 中的一个')
        if not isinstance(expr, str):
            raise NodeRunError("Expr is not a string")
        try:
            return {"result": js_result(evaluate(expr.replace("**", "^")))}
        except ExprError as error:
            return {"result": f"{expr} is not a valid math expression. Error: Error: {error}"}
