"""Points for model usage, FastGPT's `formatModelChars2Points` / `calculateModelPrice`.

Prices are points per 1,000 tokens.
- [4.16] tiered prices: tiers are sanitised (the first tier starts at 0; a tier without
  `max_input_tokens` is the open-ended last one and ends the list; tiers whose bound does not grow
  are skipped); the tier whose bound (in thousands of input tokens) is ≥ in/1000 is chosen (the
  first tier closed, the next ones left-open), else the last; points =
  `input_price·in/1000 + output_price·out/1000`.
- [4.11] without tiers: `input_price > 0` → `input_price·in/1000 + output_price·out/1000`,
  else `chars_points_price·(in+out)/1000`.
"""

from __future__ import annotations

from pyfastgpt.ai.protocols import ModelInfo, PriceTier


def sanitise_tiers(tiers: list[PriceTier]) -> list[PriceTier]:
    result: list[PriceTier] = []
    for tier in tiers:
        bound = None if tier.max_input_tokens is None else max(0.0, tier.max_input_tokens)
        if not result:
            result.append(PriceTier(bound, tier.input_price, tier.output_price))
            continue
        if bound is None:
            result.append(PriceTier(None, tier.input_price, tier.output_price))
            break
        last = result[-1].max_input_tokens
        if last is not None and bound <= last:
            continue
        result.append(PriceTier(bound, tier.input_price, tier.output_price))
    return result


def match_tier(tiers: list[PriceTier], input_tokens: int) -> PriceTier | None:
    thousands = input_tokens / 1000
    for tier in tiers:
        if not tier.max_input_tokens or thousands <= tier.max_input_tokens:
            return tier
    return tiers[-1] if tiers else None


def model_points(info: ModelInfo, input_tokens: int, output_tokens: int = 0) -> float:
    """Points charged for one call of `info`'s model."""
    if info.price_tiers:
        tier = match_tier(sanitise_tiers(info.price_tiers), input_tokens)
        if tier is None:
            return 0.0
        return tier.input_price * input_tokens / 1000 + tier.output_price * output_tokens / 1000
    if info.input_price > 0:
        return info.input_price * input_tokens / 1000 + info.output_price * output_tokens / 1000
    return info.chars_points_price * (input_tokens + output_tokens) / 1000
