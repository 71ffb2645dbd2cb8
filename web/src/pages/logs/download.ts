// Saving a file the server streamed: its suggested name and a browser download.

/** The file name of a Content-Disposition header: RFC 5987 `filename*` first, then `filename`. */
export function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(disposition);
  if (extended) {
    const value = extended[1].trim().replace(/^"(.*)"$/, "$1");
    const encoded = value.replace(/^[\w-]*'[\w-]*'/, "");
    try {
      const decoded = decodeURIComponent(encoded);
      if (decoded) return decoded;
    } catch {
      // a malformed escape: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  const name = plain ? (plain[2] ?? plain[1]).trim() : "";
  return name || undefined;
}

/** Hand a Blob to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Chromium resolves the blob URL after this task: revoke it later, not now.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
