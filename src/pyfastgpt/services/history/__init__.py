"""Chat history: conversations, messages, feedback and the question guide (FastGPT §4.4, §3.7)."""

from pyfastgpt.services.history.service import HistoryService

__all__ = ["HistoryService"]
