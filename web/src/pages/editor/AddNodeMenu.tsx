// "Add node": FastGPT's node templates by group; picking one adds it near the middle of the view.
import { useEffect, useRef, useState } from "react";
import { TEMPLATES, type NodeTemplate } from "../../graph/templates";

export function AddNodeMenu({ hasStart, onPick }: { hasStart: boolean; onPick: (template: NodeTemplate) => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  const templates = TEMPLATES.filter((template) => template.flowNodeType !== "workflowStart" || !hasStart);
  const groups = [...new Set(templates.map((template) => template.group))];
  return (
    <div className="editor-add" ref={root}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        Add node
      </button>
      {open ? (
        <div className="editor-add-menu" role="menu" aria-label="Node templates">
          {groups.map((group) => (
            <div key={group} role="group" aria-label={group}>
              <div className="editor-add-group">{group}</div>
              {templates
                .filter((template) => template.group === group)
                .map((template) => (
                  <button
                    key={template.flowNodeType}
                    type="button"
                    role="menuitem"
                    title={template.intro}
                    onClick={() => {
                      setOpen(false);
                      onPick(template);
                    }}
                  >
                    {template.name}
                  </button>
                ))}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
