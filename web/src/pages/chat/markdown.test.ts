import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

function render(source: string): HTMLElement {
  const box = document.createElement("div");
  box.innerHTML = renderMarkdown(source);
  return box;
}

describe("renderMarkdown", () => {
  it("renders markdown", () => {
    const box = render("Hello **there**\n\n- one\n- two");
    expect(box.querySelector("strong")?.textContent).toBe("there");
    expect(box.querySelectorAll("li")).toHaveLength(2);
  });

  it("removes scripts, event handlers, javascript: links and forms", () => {
    const box = render(
      'x <script>alert(1)</script><img src="x" onerror="alert(2)"> [a](javascript:alert(3)) <form><input></form><iframe src="//e"></iframe>',
    );
    expect(box.querySelector("script")).toBeNull();
    expect(box.querySelector("img")?.getAttribute("onerror")).toBeNull();
    expect(box.querySelector("a")?.getAttribute("href") ?? "").not.toContain("javascript");
    expect(box.querySelector("form, input, iframe")).toBeNull();
  });

  it("wraps code blocks with a copy button and keeps their text escaped", () => {
    const box = render("```python\nprint('<b>')\n```");
    const block = box.querySelector(".chat-code");
    expect(block?.querySelector("button[data-copy-code]")?.textContent).toBe("Copy code");
    expect(block?.querySelector("code")?.className).toBe("language-python");
    expect(block?.querySelector("pre")?.textContent).toBe("print('<b>')");
    expect(block?.querySelector("b")).toBeNull();
  });

  it("opens links elsewhere without referrer or opener", () => {
    const link = render("[site](https://example.com)").querySelector("a");
    expect(link?.getAttribute("target")).toBe("_blank");
    expect(link?.getAttribute("rel")).toBe("noopener noreferrer");
  });
});
