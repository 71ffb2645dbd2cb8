"""The globals FastGPT's JS code sandbox gives user code, run in the real Node.js sandbox.

FastGPT: projects/sandbox/src/sandbox/jsFn/{crypto,delay,str2Base64,tiktoken}.ts (4.11),
projects/sandbox/src/sandbox/js-template.ts (4.14) and projects/code-sandbox/src/pool/worker.ts
(4.16): countToken, strToBase64, createHmac, delay, httpRequest, SystemHelper, console, timers,
process, Buffer, TextEncoder/TextDecoder, URL/URLSearchParams and `main(variables)`.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from pyfastgpt.workflow.sandbox.runner import SandboxError
from tests.workflow.sandbox.support import NETWORK_LIMITS, fastgpt_hmac_base64, run


async def test_count_token_is_a_quarter_of_the_length_rounded_up():
    code = "function main(){ return {a: countToken('hello world'), b: countToken('你好世界'), c: countToken(12345), d: countToken('')} }"
    assert (await run("js", code)).result == {"a": 3, "b": 1, "c": 2, "d": 0}


async def test_str_to_base64_encodes_utf8_and_prepends_the_prefix():
    code = (
        "function main(){ return {plain: strToBase64('你好世界'), "
        "svg: strToBase64('FastGPT 代码运行 ✓ 𝄞', 'data:image/svg+xml;base64,')} }"
    )
    result = (await run("js", code)).result
    assert result == {
        "plain": "5L2g5aW95LiW55WM",
        "svg": "data:image/svg+xml;base64,RmFzdEdQVCDku6PnoIHov5DooYwg4pyTIPCdhJ4=",
    }


@pytest.mark.parametrize("algorithm", ["sha256", "sha1", "md5", "sha512"])
async def test_create_hmac_signs_timestamp_and_secret(algorithm):
    before = int(time.time() * 1000)
    code = f"function main({{secret}}){{ return createHmac('{algorithm}', secret) }}"
    result = (await run("js", code, {"secret": "SEC密钥+/="})).result
    assert set(result) == {"timestamp", "sign"}
    assert before <= int(result["timestamp"]) <= int(time.time() * 1000)
    expected = fastgpt_hmac_base64(algorithm, "SEC密钥+/=", result["timestamp"])
    assert result["sign"] == quote(expected, safe="")  # encodeURIComponent: '+', '/', '=' escaped


async def test_create_hmac_with_an_unknown_digest_fails_like_node():
    with pytest.raises(SandboxError, match="Invalid digest: nope"):
        await run("js", "function main(){ return createHmac('nope', 'k') }")


async def test_delay_waits_and_is_capped_at_ten_seconds():
    code = "async function main(){ const t = Date.now(); await delay(120); return {waited: Date.now() - t} }"
    assert (await run("js", code)).result["waited"] >= 110
    with pytest.raises(SandboxError, match=r"^Delay must be <= 10000ms$"):
        await run("js", "async function main(){ await delay(10001) }")


async def test_delay_longer_than_the_node_timeout_times_out():
    started = time.monotonic()
    with pytest.raises(SandboxError, match=r"^Script execution timed out after 3000ms$"):
        await run("js", "async function main(){ await delay(9000); return {} }")
    assert time.monotonic() - started < 4


async def test_system_helper_exposes_the_same_helpers():
    code = """
    async function main(){
      await SystemHelper.delay(1);
      const h = SystemHelper.createHmac('sha256', 'k');
      return {
        same: SystemHelper.countToken === countToken && SystemHelper.strToBase64 === strToBase64,
        b64: SystemHelper.strToBase64('a', 'p:'), tokens: SystemHelper.countToken('abcde'),
        keys: Object.keys(h).sort(), http: typeof SystemHelper.httpRequest === 'function' && httpRequest === SystemHelper.httpRequest,
      }
    }"""
    result = (await run("js", code)).result
    assert result == {"same": True, "b64": "p:YQ==", "tokens": 2, "keys": ["sign", "timestamp"], "http": True}


async def test_console_lines_become_the_code_log():
    code = "function main(){ console.log('a', 1, {b: [2]}); console.warn('w'); console.error(null); return {} }"
    assert (await run("js", code)).log == 'a 1 {"b":[2]}\nw\nnull'


async def test_timers_run_through_the_host_event_loop():
    code = """
    function main(){
      return new Promise((resolve) => {
        const seen = [];
        const cancelled = setTimeout(() => seen.push('never'), 10);
        clearTimeout(cancelled);
        let n = 0;
        const every = setInterval(() => { n += 1; if (n === 3) { clearInterval(every); resolve({seen, n}); } }, 5);
        setTimeout((x) => seen.push(x), 1, 'once');
      });
    }"""
    assert (await run("js", code)).result == {"seen": ["once"], "n": 3}


async def test_web_apis_buffer_text_codecs_and_urls():
    code = r"""
    function main(){
      const url = new URL('../x/y?q=a b&k=1#frag', 'HTTPS://Example.COM:443/base/path/');
      url.searchParams.append('z', '中');
      const params = new URLSearchParams('a=1&b=%E4%BD%A0+x&a=2');
      return {
        hex: Buffer.from('héllo').toString('hex'),
        fromB64: Buffer.from('5L2g5aW95LiW55WM', 'base64').toString('utf8'),
        b64url: Buffer.from([251, 255]).toString('base64url'),
        len: Buffer.byteLength('你好'), concat: Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString(),
        isBuffer: Buffer.isBuffer(Buffer.alloc(2)), json: Buffer.from('hi').toJSON(),
        encoded: Array.from(new TextEncoder().encode('€')), decoded: new TextDecoder().decode(new Uint8Array([0xe2, 0x82, 0xac, 0xff])),
        href: url.href, host: url.host, search: url.search, origin: url.origin,
        all: params.getAll('a'), b: params.get('b'), str: new URLSearchParams({q: "it's ~ok"}).toString(),
      };
    }"""
    assert (await run("js", code)).result == {
        "hex": "68c3a96c6c6f",
        "fromB64": "你好世界",
        "b64url": "-_8",
        "len": 6,
        "concat": "ab",
        "isBuffer": True,
        "json": {"type": "Buffer", "data": [104, 105]},
        "encoded": [226, 130, 172],
        "decoded": "€\ufffd",
        "href": "https://example.com/base/x/y?q=a+b&k=1&z=%E4%B8%AD#frag",
        "host": "example.com",
        "search": "?q=a+b&k=1&z=%E4%B8%AD",
        "origin": "https://example.com",
        "all": ["1", "2"],
        "b": "你 x",
        "str": "q=it%27s+%7Eok",
    }


async def test_process_is_a_frozen_stub_and_require_is_absent():
    code = """
    function main(){
      return {env: process.env, cwd: process.cwd(), frozen: Object.isFrozen(process), version: process.version.startsWith('v'),
              require: typeof require, fetch: typeof fetch, global: global === globalThis}
    }"""
    result = (await run("js", code)).result
    assert result == {
        "env": {},
        "cwd": "/sandbox",
        "frozen": True,
        "version": True,
        "require": "undefined",
        "fetch": "undefined",
        "global": True,
    }


async def test_main_receives_variables_and_undefined_becomes_null():
    code = "function main(v){ return {same: v === variables, keys: Object.keys(v), s: v.s, a: v.a, t: typeof v.s} }"
    result = (await run("js", code, {"s": "", "a": []})).result
    assert result == {"same": True, "keys": ["s", "a"], "s": "", "a": [], "t": "string"}
    assert (await run("js", "function main(){}")).result is None
    with pytest.raises(SandboxError, match=r"^main is not defined$"):
        await run("js", "const x = 1")


async def test_http_request_is_refused_without_network_permission():
    with pytest.raises(SandboxError, match="network access is not allowed in code nodes"):
        await run("js", "async function main(){ return await httpRequest('http://127.0.0.1:9/') }")


async def test_http_request_reaches_a_local_server_when_network_is_allowed(local_http):
    code = f"""
    async function main(){{
      const res = await SystemHelper.httpRequest('{local_http}/hook?x=1', {{method: 'post', body: {{a: 1}}}});
      return {{status: res.status, echo: JSON.parse(res.data), header: res.headers['x-echo']}};
    }}"""
    result = (await run("js", code, limits=NETWORK_LIMITS)).result
    assert result == {
        "status": 200,
        "echo": {"method": "POST", "query": {"x": "1"}, "body": '{"a":1}'},
        "header": "yes",
    }


async def test_user_code_may_declare_names_that_shadow_the_helpers():
    """FastGPT 4.16 passes the helpers as function parameters, so user declarations override them."""
    code = "function delay(ms){ return 'mine' }\nconst countToken = () => 42;\nfunction main(){ return {d: delay(1), c: countToken(), s: strToBase64('a')} }"
    assert (await run("js", code)).result == {"d": "mine", "c": 42, "s": "YQ=="}
