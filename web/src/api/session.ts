// The signed-in key lives in this browser tab's session storage only (never localStorage, never a cookie).
const KEY = "pyfastgpt.key";

export function getKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function clearKey(): void {
  sessionStorage.removeItem(KEY);
}
