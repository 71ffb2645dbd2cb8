"""Model providers: OpenAI-compatible HTTP, embedded local models, and the LLM yes/no reranker."""
