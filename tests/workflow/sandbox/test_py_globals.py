"""The helpers and `main(...)` call rules of FastGPT's Python code sandbox, in the real sandbox.

FastGPT: projects/sandbox/src/sandbox/python-template.ts (4.14) and
projects/code-sandbox/src/isolated/python-bootstrap.py / src/pool/worker.py (4.16):
count_token, str_to_base64, create_hmac, delay, http_request, SystemHelper/system_helper,
task_tmpdir, json/math/time, variables (also one global per key), `_call_main`, the import
allowlist and its messages.
"""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import pytest

from pyfastgpt.workflow.sandbox.runner import SandboxError
from tests.workflow.sandbox.support import NETWORK_LIMITS, fastgpt_hmac_base64, run


async def test_count_token_and_str_to_base64():
    code = (
        "def main():\n"
        "    return {'tokens': [count_token('hello world'), count_token('你好世界'), count_token(12345)],\n"
        "            'plain': str_to_base64('你好世界'), 'prefixed': str_to_base64('FastGPT 代码运行 ✓ 𝄞', 'b64:')}"
    )
    assert (await run("py", code)).result == {
        "tokens": [3, 1, 2],
        "plain": "5L2g5aW95LiW55WM",
        "prefixed": "b64:RmFzdEdQVCDku6PnoIHov5DooYwg4pyTIPCdhJ4=",
    }


@pytest.mark.parametrize("algorithm", ["sha256", "sha1", "md5"])
async def test_create_hmac_signs_timestamp_and_secret(algorithm):
    before = int(time.time() * 1000)
    code = f"def main(secret):\n    return create_hmac('{algorithm}', secret)"
    result = (await run("py", code, {"secret": "SEC密钥+/="})).result
    assert before <= int(result["timestamp"]) <= int(time.time() * 1000)
    # FastGPT's Python side quotes with urllib's default safe='/' (the JS side escapes '/').
    assert result["sign"] == quote(fastgpt_hmac_base64(algorithm, "SEC密钥+/=", result["timestamp"]))


async def test_delay_sleeps_and_is_capped():
    code = "def main():\n    t = time.time()\n    delay(150)\n    return {'waited': time.time() - t}"
    assert (await run("py", code)).result["waited"] >= 0.14
    with pytest.raises(SandboxError, match=r"^ValueError: Delay must be <= 10000ms$"):
        await run("py", "def main():\n    delay(10001)")


async def test_system_helper_and_preloaded_modules():
    code = (
        "def main():\n"
        "    return {'same': SystemHelper is system_helper, 'b64': SystemHelper.str_to_base64('a'),\n"
        "            'tokens': system_helper.count_token('abcde'), 'camel': SystemHelper.httpRequest is SystemHelper.http_request,\n"
        "            'modules': [json.dumps([1]), math.ceil(1.2), type(time.time()).__name__],\n"
        "            'tmp': task_tmpdir}"
    )
    result = (await run("py", code)).result
    assert "pyfastgpt-code-" in result.pop("tmp")
    assert result == {"same": True, "b64": "YQ==", "tokens": 2, "camel": True, "modules": ["[1]", 2, "float"]}


async def test_variables_are_globals_too():
    code = "def main():\n    return {'v': variables, 'city': city, 'empty': empty, 'items': items}"
    variables = {"city": "杭州", "empty": "", "items": []}
    assert (await run("py", code, variables)).result == {"v": variables, "city": "杭州", "empty": "", "items": []}


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("()", "nothing"),
        ("(a)", ""),  # one parameter named like a variable: that variable
        ("(params)", {"a": "", "b": []}),  # any other single name: the whole dict
        ("(a, b)", ["", []]),
        ("(b, a, c='dflt')", [[], "", "dflt"]),
        ("(**kwargs)", {"a": "", "b": []}),
    ],
)
async def test_main_is_called_like_fastgpt_call_main(signature, expected):
    body = {
        "()": "'nothing'",
        "(a)": "a",
        "(params)": "params",
        "(a, b)": "[a, b]",
        "(b, a, c='dflt')": "[b, a, c]",
        "(**kwargs)": "kwargs",
    }[signature]
    code = f"def main{signature}:\n    return {body}"
    assert (await run("py", code, {"a": "", "b": []})).result == expected


async def test_main_errors_use_fastgpt_messages():
    with pytest.raises(SandboxError, match=r"^Missing required argument: 'c'$"):
        await run("py", "def main(a, c):\n    return a", {"a": 1})
    with pytest.raises(SandboxError, match=r"^No 'main' function defined$"):
        await run("py", "x = 1")


@pytest.mark.parametrize("module", ["os", "subprocess", "sys", "shutil", "pickle", "importlib", "threading", "ctypes"])
async def test_dangerous_imports_are_refused_with_fastgpt_message(module):
    with pytest.raises(SandboxError, match=rf"^Module '{module}' is not in the allowlist\.$"):
        await run("py", f"import {module}\ndef main():\n    return 1")


async def test_safe_stdlib_imports_work_and_blocked_imports_can_be_caught():
    code = (
        "import datetime, collections, decimal, random, statistics, re, uuid, hashlib, hmac, base64, itertools\n"
        "from dataclasses import dataclass\n"
        "def main():\n"
        "    try:\n"
        "        import os\n"
        "        caught = None\n"
        "    except ImportError as exc:\n"
        "        caught = str(exc)\n"
        "    return {'caught': caught, 'sum': float(sum(decimal.Decimal('0.1') for _ in range(3)))}"
    )
    assert (await run("py", code)).result == {"caught": "Module 'os' is not in the allowlist.", "sum": 0.3}


async def test_print_output_is_the_code_log():
    run_result = await run("py", "def main():\n    print('a', 1)\n    print({'b': 2})\n    return {}")
    assert run_result.log == "a 1\n{'b': 2}\n"


async def test_http_request_needs_network_permission(local_http):
    code = f"def main():\n    return http_request('{local_http}/x?y=1', method='POST', body={{'a': 1}})"
    with pytest.raises(SandboxError, match="network access is not allowed in code nodes"):
        await run("py", code)
    result = (await run("py", code, limits=NETWORK_LIMITS)).result
    assert result["status"] == 200
    assert result["headers"]["X-Echo"] == "yes"
    assert json.loads(result["data"]) == {"method": "POST", "query": {"y": "1"}, "body": '{"a": 1}'}
