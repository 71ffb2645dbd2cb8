"""pyfastgpt: a FastGPT-compatible LLM application platform."""

__version__ = "0.1.0"
