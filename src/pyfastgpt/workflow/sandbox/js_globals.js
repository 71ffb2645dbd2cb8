// Evaluated INSIDE the code node's vm context (never in the host realm). It evaluates to one
// function that installs FastGPT's code-node globals on the context's global object:
//   variables, console, countToken, strToBase64, createHmac, delay, httpRequest, SystemHelper,
//   setTimeout/clearTimeout/setInterval/clearInterval, process
// (Buffer, TextEncoder/TextDecoder, URL and URLSearchParams come from js_web_apis.js).
// The host hands in `hostCall(op, json) -> json`, a function that only takes and returns strings,
// plus primitive facts. Every argument is turned into a primitive here, before the host sees it,
// and host failures are replaced by errors of this realm, so no host object ever reaches user code.
// It returns `{fire, runMain}`: the host calls `fire(id, json)` (primitives only) when a timer or
// request ends, and `runMain()` once the user's code has been evaluated.
(function installFastGPTGlobals(hostCall, facts) {
  'use strict';
  const global = globalThis;
  const BufferClass = global.Buffer;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const OriginalPromise = Promise;
  const OriginalError = Error;
  const ceil = Math.ceil;
  const now = Date.now;
  const toStr = String;
  const encodeComponent = encodeURIComponent;

  function host(op, data) {
    let answer;
    try {
      answer = hostCall(toStr(op), stringify(data));
    } catch (_hostError) {
      throw new OriginalError('Sandbox bridge failed');
    }
    const reply = parse(toStr(answer));
    if (!reply.ok) throw new OriginalError(toStr(reply.error));
    return reply.value;
  }

  // Like built-ins: replaceable by user code (FastGPT 4.16 passes them as parameters, so a user
  // `function delay(){}` or `const countToken = ...` shadows them); the helpers never read them back.
  function lock(name, value) {
    defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  }

  // Stack-trace hooks could expose host frames; keep them out of reach.
  defineProperty(OriginalError, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });

  // ---- console: FastGPT collects every call as one log line --------------------------------
  const logs = [];
  let logSize = 0;
  const MAX_LOG_SIZE = 1024 * 1024;
  function logLine(...args) {
    const line = args.map((a) => (typeof a === 'object' && a !== null ? stringify(a) : toStr(a))).join(' ');
    if (logSize + line.length <= MAX_LOG_SIZE) {
      logs.push(line);
      logSize += line.length;
    }
  }
  const consoleObject = {};
  for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table']) {
    consoleObject[name] = logLine;
  }

  // ---- timers, through the host's event loop -----------------------------------------------
  let nextId = 1;
  const pending = new Map(); // id -> { callback, repeat }
  function startTimer(callback, ms, args, repeat) {
    if (typeof callback !== 'function') throw new TypeError(repeat ? 'setInterval expects a function' : 'setTimeout expects a function');
    const id = nextId++;
    const delayMs = Number(ms) > 0 ? Number(ms) : 0;
    pending.set(id, { callback: () => callback(...args), repeat });
    host('timer', { id, ms: delayMs, repeat });
    return id;
  }
  function stopTimer(id) {
    if (pending.delete(Number(id))) host('clearTimer', { id: Number(id) });
  }
  const setTimeoutFn = (callback, ms, ...args) => startTimer(callback, ms, args, false);
  const setIntervalFn = (callback, ms, ...args) => startTimer(callback, ms, args, true);

  function fire(id, json) {
    const entry = pending.get(Number(id));
    if (!entry) return;
    if (!entry.repeat) pending.delete(Number(id));
    try {
      entry.callback(json === undefined ? undefined : parse(toStr(json)));
    } catch (err) {
      logLine(err && err.message !== undefined ? err.message : toStr(err));
    }
  }

  // ---- FastGPT helpers (projects/sandbox jsFn/*, code-sandbox worker.ts) -------------------
  function countToken(text) {
    return ceil(toStr(text).length / 4);
  }
  function strToBase64(str, prefix = '') {
    return prefix + BufferClass.from(str, 'utf-8').toString('base64');
  }
  function createHmac(algorithm, secret) {
    const timestamp = toStr(now());
    const key = toStr(secret);
    const digest = host('hmac', { algorithm: toStr(algorithm), key, message: timestamp + '\n' + key });
    return { timestamp, sign: encodeComponent(toStr(digest)) };
  }
  function delay(ms) {
    if (ms > 10000) throw new OriginalError('Delay must be <= 10000ms');
    return new OriginalPromise((resolve) => setTimeoutFn(() => resolve(), ms));
  }
  function httpRequest(url, opts = {}) {
    return new OriginalPromise((resolve, reject) => {
      const id = nextId++;
      const options = opts && typeof opts === 'object' ? opts : {};
      const headers = {};
      if (options.headers && typeof options.headers === 'object') {
        for (const name of Object.keys(options.headers)) headers[toStr(name)] = toStr(options.headers[name]);
      }
      const body =
        options.body === undefined || options.body === null
          ? null
          : typeof options.body === 'string'
            ? options.body
            : stringify(options.body);
      pending.set(id, {
        callback: (reply) => (reply.ok ? resolve(reply.value) : reject(new OriginalError(toStr(reply.error)))),
        repeat: false,
      });
      try {
        host('http', {
          id,
          url: toStr(url),
          method: toStr(options.method || 'GET').toUpperCase(),
          headers,
          body,
          timeout: typeof options.timeout === 'number' ? options.timeout : null,
        });
      } catch (err) {
        pending.delete(id);
        reject(err);
      }
    });
  }

  const SystemHelper = freeze({ countToken, strToBase64, createHmac, delay, httpRequest });
  const processShim = freeze({
    env: freeze({}),
    cwd: () => '/sandbox',
    version: toStr(facts.nodeVersion),
    platform: toStr(facts.platform),
  });

  lock('console', freeze(consoleObject));
  lock('countToken', countToken);
  lock('strToBase64', strToBase64);
  lock('createHmac', createHmac);
  lock('delay', delay);
  lock('httpRequest', httpRequest);
  lock('SystemHelper', SystemHelper);
  lock('setTimeout', setTimeoutFn);
  lock('setInterval', setIntervalFn);
  lock('clearTimeout', stopTimer);
  lock('clearInterval', stopTimer);
  lock('process', processShim);
  lock('global', global);
  global.variables = parse(toStr(facts.variablesJson));

  // The call of main: FastGPT runs `main(variables)` and serializes undefined as null.
  function runMain() {
    // `main` is looked up in the global scope the user's script declared it in (function or const).
    const mainFn = typeof main === 'function' ? main : undefined; // eslint-disable-line no-undef
    const finish = (payload) => {
      try {
        host('done', payload);
      } catch (_ignored) {
        // the host has already answered (timeout)
      }
    };
    const fail = (err) =>
      finish({ ok: false, error: toStr(err && err.message !== undefined ? err.message : err), log: logs.join('\n') });
    try {
      if (typeof mainFn !== 'function') throw new ReferenceError('main is not defined');
      OriginalPromise.resolve(mainFn(global.variables)).then((value) => {
        let text;
        try {
          text = stringify(value === undefined ? null : value);
        } catch (err) {
          return fail(err);
        }
        finish({ ok: true, resultJson: text === undefined ? 'null' : text, log: logs.join('\n') });
      }, fail);
    } catch (err) {
      fail(err);
    }
  }

  // Turns anything the user's code threw into a primitive string for the host.
  function describe(err) {
    try {
      return toStr(err && err.message !== undefined ? err.message : err);
    } catch (_unprintable) {
      return 'Code run failed';
    }
  }

  return { fire, runMain, describe };
});
