"""`/api/system/*` routes."""
