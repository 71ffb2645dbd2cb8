import { useState } from "react";
import type { Quote } from "./messageModel";

/** The dataset chunks an answer used: numbered chips, each opening its chunk's text. */
export function Citations({ quotes }: { quotes: Quote[] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (quotes.length === 0) return null;
  const shown = open !== null ? quotes[open] : null;
  return (
    <div className="chat-citations">
      <span className="muted">Citations</span>
      <div className="chat-chips">
        {quotes.map((quote, index) => (
          <button
            key={quote.id}
            type="button"
            className={open === index ? "chat-chip active" : "chat-chip"}
            aria-expanded={open === index}
            aria-label={`Citation ${index + 1}: ${quote.sourceName || "chunk"}`}
            onClick={() => setOpen(open === index ? null : index)}
          >
            <span className="chat-chip-number">{index + 1}</span>
            {quote.sourceName || "chunk"}
          </button>
        ))}
      </div>
      {shown && open !== null ? (
        <div className="chat-quote" role="region" aria-label={`Citation ${open + 1}`}>
          <div className="chat-quote-head">
            <strong>{shown.sourceName || "chunk"}</strong>
            {shown.score !== undefined ? <span className="muted">score {shown.score.toFixed(3)}</span> : null}
          </div>
          <p className="chat-quote-text">{shown.q}</p>
          {shown.a ? <p className="chat-quote-text chat-quote-answer">{shown.a}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
