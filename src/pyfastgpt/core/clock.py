"""The one source of current time (UTC, timezone-aware)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """Naive datetimes (SQLite returns them) are UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """FastGPT renders dates as ISO 8601 with milliseconds and a `Z`."""
    if value is None:
        return None
    return to_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")
