"""JavaScript value semantics and the operator/function tables of `expr-eval` (v2).

Numbers are JavaScript numbers (floats: `1/0` is Infinity, `0/0` NaN, `%` keeps the dividend's
sign, `Math.round` rounds halves up); `+` adds numerically, `||` concatenates. Used by
:mod:`expr_eval`, which parses and evaluates.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from typing import Any

MAX_VALUE_LENGTH = 1_000_000


class ExprError(Exception):
    """Parse or evaluation error; `str()` is expr-eval's message."""


# ---- JavaScript value semantics ------------------------------------------------------------


def to_number(value: Any) -> float:
    """JavaScript `Number(value)`."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if value is None:  # `undefined`
        return math.nan
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        try:
            if text.lower().startswith(("0x", "0b", "0o")):
                return float(int(text, 0))
            if text in ("Infinity", "+Infinity", "-Infinity"):
                return math.inf if not text.startswith("-") else -math.inf
            if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
                return float(text)
        except ValueError:
            pass
        return math.nan
    if isinstance(value, list):
        if not value:
            return 0.0
        return to_number(value[0]) if len(value) == 1 else math.nan
    return math.nan


def to_js_string(value: Any) -> str:
    """JavaScript `String(value)`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(float(value))
    if value is None:
        return "undefined"
    if isinstance(value, list):
        return ",".join("" if item is None else to_js_string(item) for item in value)
    return str(value)


def format_number(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    text = repr(number)
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def truthy(value: Any) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, list):
        return True
    return bool(value)


def strict_equal(left: Any, right: Any) -> bool:
    def kind(value: Any) -> str:
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, (int, float)):
            return "number"
        return type(value).__name__

    if kind(left) != kind(right):
        return False
    if isinstance(left, list):
        return left is right
    return bool(left == right)


def js_pow(base: float, exponent: float) -> float:
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.inf if base == 0 and exponent < 0 else math.nan


def _gamma(number: float) -> float:
    try:
        return math.gamma(number)
    except (ValueError, OverflowError):
        return math.nan if number <= 0 and number.is_integer() else math.inf


def factorial(value: Any) -> float:
    number = to_number(value)
    if math.isnan(number):
        return math.nan
    if number.is_integer() and number >= 0:
        if number > 170:
            return math.inf
        return float(math.factorial(int(number)))
    return _gamma(number + 1)


def _math1(fn: Callable[[float], float]) -> Callable[[Any], float]:
    def apply(value: Any) -> float:
        number = to_number(value)
        try:
            return fn(number)
        except OverflowError:
            return math.inf
        except ValueError:
            return math.nan

    return apply


def _js_round(number: float) -> float:
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.floor(number + 0.5))


def _sign(number: float) -> float:
    if math.isnan(number) or number == 0:
        return number
    return 1.0 if number > 0 else -1.0


def _log(number: float) -> float:
    if number == 0:
        return -math.inf
    return math.log(number) if number > 0 else math.nan


def _log_base(number: float, log: Callable[[float], float]) -> float:
    if number == 0:
        return -math.inf
    return log(number) if number > 0 else math.nan


def _length(value: Any) -> float:
    if isinstance(value, (list, str)):
        return float(len(value))
    return float(len(to_js_string(value)))


UNARY_OPS: dict[str, Callable[[Any], Any]] = {
    "sin": _math1(math.sin),
    "cos": _math1(math.cos),
    "tan": _math1(math.tan),
    "asin": _math1(math.asin),
    "acos": _math1(math.acos),
    "atan": _math1(math.atan),
    "sinh": _math1(math.sinh),
    "cosh": _math1(math.cosh),
    "tanh": _math1(math.tanh),
    "asinh": _math1(math.asinh),
    "acosh": _math1(math.acosh),
    "atanh": _math1(math.atanh),
    "sqrt": _math1(math.sqrt),
    "cbrt": _math1(lambda x: math.copysign(abs(x) ** (1 / 3), x)),
    "log": _math1(_log),
    "ln": _math1(_log),
    "lg": _math1(lambda x: _log_base(x, math.log10)),
    "log10": _math1(lambda x: _log_base(x, math.log10)),
    "log2": _math1(lambda x: _log_base(x, math.log2)),
    "log1p": _math1(lambda x: _log(1 + x)),
    "expm1": _math1(math.expm1),
    "exp": _math1(math.exp),
    "abs": _math1(abs),
    "ceil": _math1(lambda x: x if math.isinf(x) or math.isnan(x) else float(math.ceil(x))),
    "floor": _math1(lambda x: x if math.isinf(x) or math.isnan(x) else float(math.floor(x))),
    "round": _math1(_js_round),
    "trunc": _math1(lambda x: x if math.isinf(x) or math.isnan(x) else float(math.trunc(x))),
    "sign": _math1(_sign),
    "length": _length,
    "not": lambda x: not truthy(x),
    "-": lambda x: -to_number(x),
    "+": to_number,
    "!": factorial,
}


def _numbers(args: tuple[Any, ...]) -> list[float]:
    values = args[0] if len(args) == 1 and isinstance(args[0], list) else args
    return [to_number(v) for v in values]


def _min(*args: Any) -> float:
    numbers = _numbers(args)
    if any(math.isnan(n) for n in numbers):
        return math.nan
    return min(numbers, default=math.inf)


def _max(*args: Any) -> float:
    numbers = _numbers(args)
    if any(math.isnan(n) for n in numbers):
        return math.nan
    return max(numbers, default=-math.inf)


def _round_to(value: Any, digits: Any = 0) -> float:
    number, places = to_number(value), to_number(digits)
    if math.isnan(number) or math.isnan(places) or not places.is_integer():
        return math.nan
    scale = 10.0 ** int(places)
    return _js_round(float(f"{number * scale:.12g}")) / scale


def _index_of(target: Any, items: Any) -> float:
    if isinstance(items, list):
        for index, item in enumerate(items):
            if strict_equal(item, target):
                return float(index)
        return -1.0
    if isinstance(items, str):
        return float(items.find(to_js_string(target)))
    raise ExprError("Expected array or string")


def _join(separator: Any, items: Any) -> str:
    if not isinstance(items, list):
        raise ExprError("Expected array")
    return to_js_string(separator).join(to_js_string(item) for item in items)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "random": lambda n=1: random.random() * (to_number(n) or 1),
    "fac": factorial,
    "gamma": lambda x: _gamma(to_number(x)),
    "min": _min,
    "max": _max,
    "hypot": lambda *a: math.hypot(*_numbers(a)),
    "pyt": lambda *a: math.hypot(*_numbers(a)),
    "pow": lambda x, y: js_pow(to_number(x), to_number(y)),
    "atan2": lambda y, x: math.atan2(to_number(y), to_number(x)),
    "roundTo": _round_to,
    "if": lambda c, a, b: a if truthy(c) else b,
    "indexOf": _index_of,
    "join": _join,
}

CONSTANTS: dict[str, Any] = {"E": math.e, "PI": math.pi, "true": True, "false": False}

NAMED_OPERATORS = frozenset({"and", "or", "in", *(k for k in UNARY_OPS if k.isalpha() or k[0].isalpha())})
