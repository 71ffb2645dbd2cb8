import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { acceptedExtensions, Composer } from "./Composer";
import { InteractiveBlock } from "./InteractiveBlock";
import type { Interactive } from "./messageModel";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;

beforeEach(() => {
  host = document.createElement("div");
  document.body.appendChild(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

function type(area: HTMLTextAreaElement, text: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")?.set;
  act(() => {
    setter?.call(area, text);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

function press(area: HTMLTextAreaElement, shiftKey: boolean) {
  const event = new KeyboardEvent("keydown", { key: "Enter", shiftKey, bubbles: true, cancelable: true });
  act(() => {
    area.dispatchEvent(event);
  });
  return event.defaultPrevented;
}

function button(name: string): HTMLButtonElement {
  const found = Array.from(host.querySelectorAll("button")).find((b) => b.textContent === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

function composer(props: { streaming?: boolean; onSend?: () => boolean; onStop?: () => void; disabledReason?: string }) {
  act(() =>
    root.render(
      <Composer
        auth={{ mode: "key", appId: "a" }}
        appId="a"
        streaming={props.streaming ?? false}
        disabledReason={props.disabledReason}
        ensureChatId={() => "c"}
        onSend={props.onSend ?? (() => true)}
        onStop={props.onStop ?? (() => undefined)}
      />,
    ),
  );
  return host.querySelector("textarea") as HTMLTextAreaElement;
}

describe("Composer", () => {
  it("sends on Enter and clears, but Shift+Enter only breaks the line", () => {
    const onSend = vi.fn(() => true);
    const area = composer({ onSend });
    type(area, "first line");
    expect(press(area, true)).toBe(false);
    expect(onSend).not.toHaveBeenCalled();
    expect(press(area, false)).toBe(true);
    expect(onSend).toHaveBeenCalledWith("first line", []);
    expect(area.value).toBe("");
  });

  it("keeps the text when sending is refused (missing variables)", () => {
    const area = composer({ onSend: () => false });
    type(area, "question");
    press(area, false);
    expect(area.value).toBe("question");
  });

  it("shows Stop instead of Send while an answer streams", () => {
    const onStop = vi.fn();
    composer({ streaming: true, onStop });
    act(() => button("Stop").click());
    expect(onStop).toHaveBeenCalled();
  });

  it("is closed while an interaction waits", () => {
    const area = composer({ disabledReason: "Answer the question above to continue" });
    expect(area.disabled).toBe(true);
    expect(area.placeholder).toContain("Answer the question");
  });

  it("offers an upload only for what the app allows", () => {
    expect(acceptedExtensions(undefined)).toEqual([]);
    expect(acceptedExtensions({ canSelectImg: true })).toContain(".png");
    expect(acceptedExtensions({ canSelectImg: true })).not.toContain(".pdf");
    expect(acceptedExtensions({ canSelectFile: true })).toContain(".pdf");
  });
});

describe("InteractiveBlock", () => {
  const select: Interactive = {
    type: "userSelect",
    params: { description: "Pick", userSelectOptions: [{ key: "a", value: "Small" }, { key: "b", value: "Large" }] },
  };

  it("answers a userSelect with the option's value", () => {
    const onAnswer = vi.fn();
    act(() => root.render(<InteractiveBlock interactive={select} active onAnswer={onAnswer} />));
    act(() => button("Large").click());
    expect(onAnswer).toHaveBeenCalledWith("Large");
  });

  it("shows an answered choice, disabled", () => {
    const done = { ...select, params: { ...select.params, userSelectedVal: "Small" } };
    act(() => root.render(<InteractiveBlock interactive={done} active onAnswer={() => undefined} />));
    expect(button("Small").getAttribute("aria-pressed")).toBe("true");
    expect(button("Large").disabled).toBe(true);
  });

  it("submits a form as JSON keyed by field key, numbers as numbers, after the required ones", () => {
    const onAnswer = vi.fn();
    const form: Interactive = {
      type: "userInput",
      params: {
        inputForm: [
          { type: "input", key: "name", label: "Name", required: true },
          { type: "numberInput", key: "age", label: "Age", defaultValue: 0 },
        ],
      },
    };
    act(() => root.render(<InteractiveBlock interactive={form} active onAnswer={onAnswer} />));
    act(() => button("Submit").click());
    expect(onAnswer).not.toHaveBeenCalled();
    expect(host.querySelector("[role=alert]")?.textContent).toContain("Name");
    const [name, age] = Array.from(host.querySelectorAll("input"));
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
    act(() => {
      setter?.call(name, "Ann");
      name.dispatchEvent(new Event("input", { bubbles: true }));
      setter?.call(age, "7");
      age.dispatchEvent(new Event("input", { bubbles: true }));
    });
    act(() => button("Submit").click());
    expect(onAnswer).toHaveBeenCalledWith(JSON.stringify({ name: "Ann", age: 7 }));
  });
});
