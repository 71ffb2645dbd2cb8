"""A hand-written parser and evaluator for the `expr-eval` (v2) expression language.

FastGPT's `mathExprVal` tool runs `new Parser().parse(expr).evaluate()`; this module reproduces
that grammar without `eval` or `ast` (precedence, lowest first):

    a; b                      statements, the value is the last one
    x = e                     assignment (right)
    c ? a : b                 conditional (right, lazy)
    or, and                   logical (lazy, results are booleans)
    == != < <= > >= in        comparison
    + - ||                    add, subtract, concatenate
    * / %                     multiply, divide, remainder
    -x +x not x sqrt x …      prefix operators (right)
    ^                         power (right; binds tighter than prefix minus: -2^2 = -4)
    x!                        factorial
    f(…) x.y x[i] (…) [a, b]  calls, members, indexing, grouping, arrays

Left-associative operators are kept as flat chains, nesting is bounded, and strings/arrays are
capped, so a short hostile expression can neither recurse deeply nor exhaust memory. Errors are
:class:`ExprError` with expr-eval's wording (``parse error [1:3]: Expected )``,
``undefined variable: x``).
"""

from __future__ import annotations

import math
from typing import Any

from pyfastgpt.workflow.system_tools.expr_runtime import (
    CONSTANTS,
    FUNCTIONS,
    MAX_VALUE_LENGTH,
    NAMED_OPERATORS,
    UNARY_OPS,
    ExprError,
    format_number,
    js_pow,
    strict_equal,
    to_js_string,
    to_number,
    truthy,
)
from pyfastgpt.workflow.system_tools.expr_tokens import Token, coords, tokenize

__all__ = ["ExprError", "evaluate", "js_result"]

MAX_EXPRESSION_CHARS = 10_000
MAX_DEPTH = 40

Ast = tuple[Any, ...]

_CHAIN_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"==", "!=", "<", "<=", ">", ">=", "in"}),
    frozenset({"+", "-", "||"}),
    frozenset({"*", "/", "%"}),
)

# ---- parser ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "eof":
            self.index += 1
        return token

    def accept(self, kind: str, value: str | None = None) -> bool:
        if self.peek.is_(kind, value):
            self.advance()
            return True
        return False

    def expect(self, kind: str, value: str) -> None:
        if not self.accept(kind, value):
            raise ExprError(f"parse error {coords(self.text, self.peek.pos)}: Expected {value}")

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("Expression is nested too deeply")

    def parse(self) -> Ast:
        node = self.statements()
        if self.peek.kind != "eof":
            raise ExprError(f"parse error {coords(self.text, self.peek.pos)}: Expected EOF")
        return node

    def statements(self) -> Ast:
        self.nested()
        items = [self.assignment()]
        while self.accept("semi"):
            if self.peek.kind == "eof" or self.peek.is_("paren", ")"):
                break
            items.append(self.assignment())
        self.depth -= 1
        return items[0] if len(items) == 1 else ("seq", items)

    def assignment(self) -> Ast:
        node = self.conditional()
        if self.peek.is_("op", "="):
            if node[0] != "var":
                raise ExprError("expected variable for assignment")
            self.advance()
            self.nested()
            value = self.assignment()
            self.depth -= 1
            return ("assign", node[1], value)
        return node

    def conditional(self) -> Ast:
        condition = self.logical("or")
        if not self.accept("op", "?"):
            return condition
        self.nested()
        when_true = self.conditional()
        self.expect("op", ":")
        when_false = self.conditional()
        self.depth -= 1
        return ("cond", condition, when_true, when_false)

    def logical(self, operator: str) -> Ast:
        items = [self._logical_operand(operator)]
        while self.accept("op", operator):
            items.append(self._logical_operand(operator))
        return items[0] if len(items) == 1 else ("logic", operator, items)

    def _logical_operand(self, operator: str) -> Ast:
        return self.logical("and") if operator == "or" else self.chain(0)

    def chain(self, level: int) -> Ast:
        first = self._chain_operand(level)
        rest: list[tuple[str, Ast]] = []
        while self.peek.kind == "op" and self.peek.value in _CHAIN_LEVELS[level]:
            rest.append((self.advance().value, self._chain_operand(level)))
        return ("chain", first, rest) if rest else first

    def _chain_operand(self, level: int) -> Ast:
        return self.chain(level + 1) if level + 1 < len(_CHAIN_LEVELS) else self.factor()

    def factor(self) -> Ast:
        token = self.peek
        if token.kind == "op" and token.value in UNARY_OPS:
            following = self.tokens[self.index + 1]
            if token.value not in ("-", "+"):
                if following.is_("paren", "("):
                    return self.exponential()
                if following.kind in ("semi", "comma", "eof") or following.is_("paren", ")"):
                    self.advance()
                    return ("var", token.value)
            self.advance()
            self.nested()
            operand = self.factor()
            self.depth -= 1
            return ("unary", token.value, operand)
        return self.exponential()

    def exponential(self) -> Ast:
        base = self.postfix()
        if self.accept("op", "^"):
            self.nested()
            exponent = self.factor()
            self.depth -= 1
            return ("pow", base, exponent)
        return base

    def postfix(self) -> Ast:
        node = self.call()
        while self.accept("op", "!"):
            node = ("unary", "!", node)
        return node

    def call(self) -> Ast:
        token = self.peek
        if token.kind == "op" and token.value in UNARY_OPS:
            self.advance()
            return ("unary", token.value, self.atom())
        node = self.member()
        while self.accept("paren", "("):
            node = ("call", node, self.arguments(")", "paren"))
        return node

    def arguments(self, closing: str, kind: str) -> list[Ast]:
        args: list[Ast] = []
        if self.accept(kind, closing):
            return args
        self.nested()
        args.append(self.conditional())
        while self.accept("comma"):
            args.append(self.conditional())
        self.expect(kind, closing)
        self.depth -= 1
        return args

    def member(self) -> Ast:
        node = self.atom()
        while True:
            if self.accept("op", "."):
                name = self.advance()
                if name.kind not in ("name", "op"):
                    raise ExprError(f"parse error {coords(self.text, name.pos)}: Expected TNAME")
                node = ("member", node, name.value)
            elif self.accept("bracket", "["):
                index = self.statements()
                self.expect("bracket", "]")
                node = ("index", node, index)
            else:
                return node

    def atom(self) -> Ast:
        token = self.advance()
        if token.kind == "name":
            if token.value in CONSTANTS:
                return ("value", CONSTANTS[token.value])
            return ("var", token.value)
        if token.kind == "op" and token.value in NAMED_OPERATORS:
            return ("var", token.value)
        if token.kind in ("number", "string"):
            return ("value", token.value)
        if token.is_("paren", "("):
            node = self.statements()
            self.expect("paren", ")")
            return node
        if token.is_("bracket", "["):
            return ("array", self.arguments("]", "bracket"))
        raise ExprError(f"unexpected {token.describe()}")


# ---- evaluator ------------------------------------------------------------------------------


def _bounded(value: Any) -> Any:
    if isinstance(value, (str, list)) and len(value) > MAX_VALUE_LENGTH:
        raise ExprError("Result is too large")
    return value


def _compare(operator: str, left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        a: Any
        b: Any
        a, b = left, right
    else:
        a, b = to_number(left), to_number(right)
    if operator == "<":
        return bool(a < b)
    if operator == "<=":
        return bool(a <= b)
    if operator == ">":
        return bool(a > b)
    return bool(a >= b)


def _binary(operator: str, left: Any, right: Any) -> Any:
    if operator == "+":
        return to_number(left) + to_number(right)
    if operator == "-":
        return to_number(left) - to_number(right)
    if operator == "*":
        return to_number(left) * to_number(right)
    if operator == "/":
        return _divide(to_number(left), to_number(right))
    if operator == "%":
        a, b = to_number(left), to_number(right)
        if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
            return math.nan
        return math.fmod(a, b)
    if operator == "||":
        if isinstance(left, list) and isinstance(right, list):
            return _bounded(left + right)
        return _bounded(to_js_string(left) + to_js_string(right))
    if operator == "==":
        return strict_equal(left, right)
    if operator == "!=":
        return not strict_equal(left, right)
    if operator == "in":
        if isinstance(right, list):
            return any(strict_equal(left, item) for item in right)
        if isinstance(right, str):
            return to_js_string(left) in right
        raise ExprError(f"{to_js_string(right)} is not an array")
    return _compare(operator, left, right)


def _divide(left: float, right: float) -> float:
    if right == 0:
        if left == 0 or math.isnan(left):
            return math.nan
        return math.copysign(math.inf, left) * math.copysign(1.0, right)
    return left / right


def _lookup(name: str, scope: dict[str, Any]) -> Any:
    if name in FUNCTIONS:
        return FUNCTIONS[name]
    if name in UNARY_OPS:
        return UNARY_OPS[name]
    if name in scope and scope[name] is not None:
        return scope[name]
    raise ExprError(f"undefined variable: {name}")


def _member(target: Any, key: Any) -> Any:
    if isinstance(target, (str, list)):
        if key == "length":
            return float(len(target))
        number = to_number(key)
        if not math.isnan(number) and not math.isinf(number):
            index = int(number)
            return target[index] if 0 <= index < len(target) else None
        return None
    if isinstance(target, dict):
        return target.get(to_js_string(key))
    return None


def _run(node: Ast, scope: dict[str, Any]) -> Any:
    kind = node[0]
    if kind == "value":
        return node[1]
    if kind == "var":
        return _lookup(node[1], scope)
    if kind == "chain":
        result = _run(node[1], scope)
        for operator, operand in node[2]:
            result = _binary(operator, result, _run(operand, scope))
        return result
    if kind == "unary":
        return _bounded(UNARY_OPS[node[1]](_run(node[2], scope)))
    if kind == "pow":
        return js_pow(to_number(_run(node[1], scope)), to_number(_run(node[2], scope)))
    if kind == "logic":
        wanted = node[1] == "or"
        return wanted if any(truthy(_run(item, scope)) == wanted for item in node[2]) else not wanted
    if kind == "cond":
        return _run(node[2] if truthy(_run(node[1], scope)) else node[3], scope)
    if kind == "array":
        return [_run(item, scope) for item in node[1]]
    if kind == "call":
        function = _run(node[1], scope)
        args = [_run(item, scope) for item in node[2]]
        if not callable(function):
            raise ExprError(f"{to_js_string(function)} is not a function")
        try:
            return _bounded(function(*args))
        except TypeError as error:
            raise ExprError(f"invalid arguments: {error}") from None
    if kind == "member":
        return _member(_run(node[1], scope), node[2])
    if kind == "index":
        return _member(_run(node[1], scope), _run(node[2], scope))
    if kind == "assign":
        scope[node[1]] = _run(node[2], scope)
        return scope[node[1]]
    result = None
    for statement in node[1]:  # "seq"
        result = _run(statement, scope)
    return result


def evaluate(expression: str, variables: dict[str, Any] | None = None) -> Any:
    """Parse and evaluate `expression`; JavaScript-like values (numbers are floats)."""
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ExprError(f"Expression is longer than {MAX_EXPRESSION_CHARS} characters")
    tree = _Parser(expression).parse()
    return _run(tree, dict(variables or {}))


def js_result(value: Any) -> Any:
    """A result as FastGPT returns it: integral numbers as ints, NaN/Infinity in their JS text."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return format_number(number)
        return int(number) if number.is_integer() and abs(number) < 1e21 else number
    if isinstance(value, list):
        return [js_result(item) for item in value]
    if callable(value):
        return f"[function {getattr(value, '__name__', 'anonymous')}]"
    return value
