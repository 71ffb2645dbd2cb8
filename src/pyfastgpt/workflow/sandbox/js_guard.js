'use strict';
// Host side of the JS code-node sandbox (a Node.js process started by runner.py, with the
// permission model where available). Reads {"code", "variables", "timeout_ms", "allow_network",
// "preludes": [source, ...]} from stdin and evaluates the code in a fresh vm context that receives
// no host object: string code generation is off, and the only link to this realm is one function
// taking and returning strings (`hostCall`), captured in a closure of the in-context preludes
// (js_web_apis.js, js_globals.js). Prints {"ok":true,"result":...,"log":...} or
// {"ok":false,"error":...,"log":...}. This file is strict mode so that no frame of it can be
// reached through `caller` or call-site objects.
const vm = require('node:vm');
const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const MAX_REQUESTS = 30;
const MAX_REQUEST_TIMEOUT_MS = 60000;

let answered = false;
function answer(data) {
  if (answered) return;
  answered = true;
  process.stdout.write(JSON.stringify(data), () => process.exit(0));
}

function readStdin() {
  return new Promise((resolve) => {
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => (input += chunk));
    process.stdin.on('end', () => resolve(input));
  });
}

function makeHost(payload, getFire) {
  const timers = new Map();
  let requests = 0;
  const ops = {
    hmac({ algorithm, key, message }) {
      return crypto.createHmac(String(algorithm), String(key)).update(String(message), 'utf8').digest('base64');
    },
    timer({ id, ms, repeat }) {
      const wait = Math.max(0, Number(ms) || 0);
      const handle = repeat
        ? setInterval(() => getFire()(Number(id)), wait)
        : setTimeout(() => {
            timers.delete(Number(id));
            getFire()(Number(id));
          }, wait);
      timers.set(Number(id), handle);
      return null;
    },
    clearTimer({ id }) {
      const handle = timers.get(Number(id));
      clearTimeout(handle);
      clearInterval(handle);
      timers.delete(Number(id));
      return null;
    },
    http(request) {
      if (!payload.allow_network) throw new Error('network access is not allowed in code nodes');
      if (++requests > MAX_REQUESTS) throw new Error('Request limit exceeded');
      startRequest(request, (reply) => getFire()(Number(request.id), JSON.stringify(reply)));
      return null;
    },
    done(result) {
      if (result.ok) answer({ ok: true, result: JSON.parse(result.resultJson), log: result.log });
      else answer({ ok: false, error: result.error, log: result.log });
      return null;
    },
  };
  // The only function the vm context ever holds from this realm: strings in, a string out.
  return function hostCall(op, json) {
    try {
      const handler = Object.prototype.hasOwnProperty.call(ops, op) ? ops[op] : null;
      if (!handler) throw new Error(`Unknown sandbox operation ${String(op)}`);
      const value = handler(JSON.parse(String(json)));
      return JSON.stringify({ ok: true, value: value === undefined ? null : value });
    } catch (error) {
      return JSON.stringify({ ok: false, error: String(error && error.message ? error.message : error) });
    }
  };
}

function startRequest({ url, method, headers, body, timeout }, reply) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return reply({ ok: false, error: 'Invalid URL' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return reply({ ok: false, error: 'Protocol not allowed' });
  const timeoutMs = Math.min(timeout > 0 ? Math.ceil(timeout * 1000) : MAX_REQUEST_TIMEOUT_MS, MAX_REQUEST_TIMEOUT_MS);
  const sendHeaders = { ...headers };
  if (body !== null && !Object.keys(sendHeaders).some((k) => k.toLowerCase() === 'content-type')) {
    sendHeaders['Content-Type'] = 'application/json';
  }
  const lib = parsed.protocol === 'https:' ? https : http;
  const req = lib.request(parsed, { method, headers: sendHeaders, timeout: timeoutMs }, (res) => {
    const chunks = [];
    let size = 0;
    res.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        req.destroy();
        reply({ ok: false, error: 'Response too large' });
      } else chunks.push(chunk);
    });
    res.on('end', () =>
      reply({
        ok: true,
        value: { status: res.statusCode, statusText: res.statusMessage, headers: { ...res.headers }, data: Buffer.concat(chunks).toString('utf-8') },
      })
    );
  });
  req.on('timeout', () => {
    req.destroy();
    reply({ ok: false, error: 'Request timeout' });
  });
  req.on('error', (error) => reply({ ok: false, error: String(error.message || error) }));
  if (body !== null) req.write(body);
  req.end();
}

async function main() {
  let payload;
  try {
    payload = JSON.parse(await readStdin());
  } catch (error) {
    return answer({ ok: false, error: `Invalid sandbox input: ${error.message}` });
  }
  const timeoutMs = Number(payload.timeout_ms) || 10000;
  const timeoutMessage = `Script execution timed out after ${Number(payload.timeout_label_ms) || timeoutMs}ms`;
  setTimeout(() => answer({ ok: false, error: timeoutMessage }), timeoutMs);
  let describe = null;
  try {
    const context = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
    let fire = null;
    const hostCall = makeHost(payload, () => fire);
    const [webApis, globals] = payload.preludes.map((source, i) => new vm.Script(source, { filename: `prelude${i}.js` }));
    webApis.runInContext(context)();
    const facts = { nodeVersion: process.version, platform: process.platform, variablesJson: JSON.stringify(payload.variables || {}) };
    const api = globals.runInContext(context)(hostCall, facts);
    fire = api.fire;
    describe = api.describe;
    const runMain = api.runMain;
    // Top-level statements run under the vm timeout; the completion value is never read.
    new vm.Script(String(payload.code), { filename: 'code.js' }).runInContext(context, { timeout: timeoutMs });
    // The synchronous part of main() also runs under the vm timeout: expose runMain under a
    // one-off random name only after the user's top level has finished.
    const key = `__fastgpt_main_${crypto.randomUUID().replace(/-/g, '')}`;
    context[key] = runMain;
    new vm.Script(`globalThis.${key}()`).runInContext(context, { timeout: timeoutMs });
    delete context[key];
  } catch (error) {
    // A value thrown by user code is only ever turned into a string inside the context.
    const message = describe ? String(describe(error)) : String(error && error.message);
    answer({ ok: false, error: message.startsWith('Script execution timed out') ? timeoutMessage : message });
  }
}

main();
