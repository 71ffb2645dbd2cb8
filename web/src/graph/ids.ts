// Node ids as FastGPT's `getNanoid()` makes them: 12 characters of [a-zA-Z0-9], starting with a letter.
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALPHABET = `${LETTERS}1234567890`;

function pick(alphabet: string, count: number): string {
  const bytes = new Uint8Array(count);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export function newNodeId(taken: ReadonlySet<string> = new Set(), size = 12): string {
  for (;;) {
    const id = pick(LETTERS, 1) + pick(ALPHABET, size - 1);
    if (!taken.has(id)) return id;
  }
}
