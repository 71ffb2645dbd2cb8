"""Share links (FastGPT `outlinks`): management, visitor authentication, limits and the three auth hooks."""
