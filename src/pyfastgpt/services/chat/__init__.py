"""Chat rounds: request → history → workflow run → persisted round → response events."""
