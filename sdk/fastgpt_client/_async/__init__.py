"""Asynchronous clients: the hand-written source of the SDK (the sync twin is generated)."""
