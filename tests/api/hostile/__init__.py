"""The bad-input walker: every mounted route, every declared parameter, hostile values (issue 19)."""
