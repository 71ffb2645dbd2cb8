"""One billed model call, as FastGPT records it in a usage list (`moduleName`, `model`, tokens, points)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class UsageItem:
    module_name: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    total_points: float = 0.0

    def to_wire(self) -> dict[str, Any]:
        """FastGPT's usage-list item shape (`ChatNodeUsageType`)."""
        return {
            "moduleName": self.module_name,
            "model": self.model,
            "inputTokens": self.input_tokens,
            "outputTokens": self.output_tokens,
            "totalPoints": self.total_points,
        }
