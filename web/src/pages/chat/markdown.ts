// Answers are markdown from a model or a workflow: rendered by marked, then sanitized by DOMPurify
// (never trusted). Code blocks get a copy button the message component handles by delegation.
import DOMPurify from "dompurify";
import { Marked, type Tokens } from "marked";

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? "").trim().split(/\s+/)[0].replace(/[^\w+-]/g, "");
      const label = language ? `<span class="chat-code-lang">${escapeHtml(language)}</span>` : "";
      const cls = language ? ` class="language-${language}"` : "";
      return (
        `<div class="chat-code">${label}` +
        `<button type="button" class="chat-copy" data-copy-code="">Copy code</button>` +
        `<pre><code${cls}>${escapeHtml(text)}</code></pre></div>`
      );
    },
  },
});

let hooked = false;

function addLinkHook(): void {
  if (hooked) return;
  hooked = true;
  // Links in answers open elsewhere and pass no referrer or opener.
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A" && node.getAttribute("href")) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  });
}

/** Markdown → sanitized HTML (scripts, event handlers, `javascript:` URLs and forms removed). */
export function renderMarkdown(source: string): string {
  addLinkHook();
  const html = markdown.parse(source, { async: false });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "textarea", "select", "iframe", "object", "embed"],
    FORBID_ATTR: ["style"],
    ADD_ATTR: ["target"],
  });
}

/** Copy text to the clipboard (the async API, or a hidden textarea where it is missing). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      /* permission refused: fall back */
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}
