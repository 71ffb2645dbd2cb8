// Runs inside the sandboxed Node.js process (started with the permission model where available).
// Reads {"code","variables","timeout_ms"} from stdin and evaluates the code in a fresh vm context
// that receives no host objects at all (only a JSON string), so nothing inside can reach
// `process`, `require` or the host `Function`; string code generation is disabled. Calls
// main(variables) and prints {"ok":true,"result":...} or {"ok":false,"error":...}.
const vm = require('node:vm');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const write = (data) => process.stdout.write(JSON.stringify(data));
  try {
    const payload = JSON.parse(input);
    const context = vm.createContext(Object.create(null), {
      codeGeneration: { strings: false, wasm: false },
    });
    const prelude = new vm.Script(
      'globalThis.__logs = []; globalThis.console = { log: (...a) => __logs.push(a.map(String).join(" ")) };'
    );
    prelude.runInContext(context);
    const user = new vm.Script(String(payload.code), { filename: 'code.js' });
    user.runInContext(context, { timeout: payload.timeout_ms || 10000 });
    const call = new vm.Script(
      `(async () => {
        if (typeof main !== 'function') throw new Error('the code must define a function main(...)');
        const value = await main(JSON.parse(${JSON.stringify(JSON.stringify(payload.variables || {}))}));
        return JSON.stringify({ value: value === undefined ? null : value, log: __logs.join(String.fromCharCode(10)) });
      })()`
    );
    const text = await call.runInContext(context, { timeout: payload.timeout_ms || 10000 });
    const answer = JSON.parse(String(text));
    write({ ok: true, result: answer.value, log: answer.log });
  } catch (error) {
    write({ ok: false, error: String(error && error.message ? error.message : error) });
  }
});
