// Runs inside the sandboxed Node.js process. Reads {"code","variables","timeout_ms"} from stdin,
// evaluates the code in a fresh vm context (no require, process, fs or network objects) and calls
// main(variables). Prints {"ok":true,"result":...} or {"ok":false,"error":...}.
const vm = require('node:vm');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const write = (data) => process.stdout.write(JSON.stringify(data));
  try {
    const payload = JSON.parse(input);
    const logs = [];
    const context = vm.createContext({
      console: { log: (...a) => logs.push(a.map(String).join(' ')) },
      JSON, Math, Date, Array, Object, String, Number, Boolean, RegExp, Error, Promise, parseInt, parseFloat,
      encodeURIComponent, decodeURIComponent, isNaN, isFinite,
      __variables: payload.variables || {},
    });
    const script = new vm.Script(`${payload.code}\n;(typeof main === 'function' ? main(__variables) : (() => { throw new Error('the code must define a function main(...)') })())`);
    let result = script.runInContext(context, { timeout: payload.timeout_ms || 10000 });
    if (result && typeof result.then === 'function') result = await result;
    write({ ok: true, result: result === undefined ? null : result, logs });
  } catch (error) {
    write({ ok: false, error: String(error && error.message ? error.message : error) });
  }
});
