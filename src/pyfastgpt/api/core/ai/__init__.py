"""`/api/core/ai/*` routes."""
