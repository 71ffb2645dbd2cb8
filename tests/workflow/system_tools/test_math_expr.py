"""`mathExprVal`: expr-eval's grammar and JavaScript numbers, evaluated without eval/ast."""

from __future__ import annotations

import pytest

from pyfastgpt.workflow.system_tools.expr_eval import ExprError, evaluate, js_result
from tests.workflow.system_tools.helpers import run_tool


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ^ 3 ^ 2", 512),  # right-associative
        ("-2 ^ 2", -4),  # power binds tighter than prefix minus
        ("2 ^ -1", 0.5),
        ("10 / 4", 2.5),
        ("7 % 3 + -7 % 3", 0),  # JS remainder keeps the dividend's sign
        ("3! + 2 * 3!", 18),
        ("sqrt 16 + 1", 5),  # prefix function operator without parentheses
        ("sqrt(16) ^ 2", 16),
        ("abs -5", 5),
        ("max(1, 5, 3) - min([4, 2, 8])", 3),
        ("roundTo(3.14159, 2)", 3.14),
        ("round(2.5) + round(-2.5)", 1),  # Math.round rounds halves up
        ("floor(2.7) + ceil(2.1) + trunc(-1.5)", 4),
        ("log10 1000 + log2 8 + ln E", 7),
        ("pow(2, 10) + hypot(3, 4)", 1029),
        ("0.1 + 0.2", 0.30000000000000004),
        ("1e3 + 0x10", 1016),
        ("1 < 2 and 2 < 3", True),
        ("1 > 2 or not 1", False),
        ("1 == 1 ? 'yes' : 'no'", "yes"),
        ("if(1 > 2, 'a', 'b')", "b"),
        ("'ab' || 'cd'", "abcd"),
        ("[1, 2] || [3]", [1, 2, 3]),
        ("2 in [1, 2, 3]", True),
        ("length 'hello'", 5),
        ("x = 3; x * 2", 6),
        ("fac(5) / 5!", 1),
        ("1 / 0", "Infinity"),
        ("0 / 0", "NaN"),
        ("(-8) ^ (1 / 3)", "NaN"),
        ("PI > 3.14 and PI < 3.15", True),
    ],
)
def test_evaluates_like_expr_eval(expression: str, expected: object) -> None:
    assert js_result(evaluate(expression)) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 +", "unexpected TEOF: EOF"),
        ("(1 + 2", "parse error [1:7]: Expected )"),
        ("1 2", "parse error [1:3]: Expected EOF"),
        ("x + 1", "undefined variable: x"),
        ("foo(1)", "undefined variable: foo"),
        ("1 # 2", 'parse error [1:3]: Unknown character "#"'),
        ("(" * 60 + "1" + ")" * 60, "Expression is nested too deeply"),
        ("-" * 500 + "1", "Expression is nested too deeply"),
    ],
)
def test_reports_expr_eval_errors(expression: str, message: str) -> None:
    with pytest.raises(ExprError) as caught:
        evaluate(expression)
    assert str(caught.value) == message


def test_long_flat_chains_do_not_recurse() -> None:
    assert evaluate("+".join(["1"] * 4000)) == 4000


def test_concatenation_is_bounded() -> None:
    doubling = "s = 'abcdefghij'; " + "; ".join(["s = s || s"] * 20)
    with pytest.raises(ExprError, match="too large"):
        evaluate(doubling)


async def test_tool_node_returns_result(plain_deps) -> None:
    result, response = await run_tool(
        plain_deps, "community-mathExprVal", {"expr": "(2 + 3) ** 2 - 10 / 4"}, ["result"]
    )
    assert result.error is None
    assert response["toolRes"] == {"result": 22.5}
    assert response["totalPoints"] == 0


async def test_invalid_expression_is_a_result_not_a_node_error(plain_deps) -> None:
    result, response = await run_tool(plain_deps, "systemTool-mathExprVal", {"数学表达式": "2 +* 3"}, ["result"])
    assert result.error is None
    assert response["toolRes"]["result"] == "2 +* 3 is not a valid math expression. Error: Error: unexpected TOP: *"


async def test_missing_expression_fails_the_node(plain_deps) -> None:
    result, response = await run_tool(plain_deps, "mathExprVal", {"expr": ""}, ["result"])
    assert result.error == '必须传入 "数学表达式" 或 "expr" 中的一个'
    assert response["errorText"] == result.error
    assert response["moduleLogo"] == "core/workflow/template/tool"
