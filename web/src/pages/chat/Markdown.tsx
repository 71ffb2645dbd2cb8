import { useMemo, type MouseEvent } from "react";
import { copyText, renderMarkdown } from "./markdown";

/** Sanitized markdown; a code block's "Copy code" button copies that block. */
export function Markdown({ text, className = "" }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  function onClick(event: MouseEvent<HTMLDivElement>) {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-copy-code]");
    if (!button) return;
    const code = button.parentElement?.querySelector("pre")?.textContent ?? "";
    void copyText(code).then(() => {
      button.textContent = "Copied";
    });
  }
  return <div className={`chat-markdown ${className}`} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
