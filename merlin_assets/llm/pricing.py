"""What calls cost, in USD: the one place prices live.

Token prices are USD per 1M tokens (OpenAI list prices for standard processing). Image models
priced by tokens (gpt-image-*) use their usage figures; the others are priced per image by size
and quality. Dated snapshots (`gpt-4o-mini-2024-07-18`) match their family by longest prefix.
A model not listed here (a local or third-party server) is priced like `UNKNOWN_MODEL`, on the
expensive side, so a spending cap still holds; set a cap of your own if that matters.
"""

from __future__ import annotations

from dataclasses import dataclass

PER_MILLION = 1_000_000


@dataclass(frozen=True)
class TokenPrice:
    """USD per 1M input and output tokens."""

    input: float
    output: float


CHAT_PRICES: dict[str, TokenPrice] = {
    "gpt-4o-mini": TokenPrice(0.15, 0.60),
    "gpt-4o": TokenPrice(2.50, 10.00),
    "gpt-4.1-nano": TokenPrice(0.10, 0.40),
    "gpt-4.1-mini": TokenPrice(0.40, 1.60),
    "gpt-4.1": TokenPrice(2.00, 8.00),
    "gpt-5-nano": TokenPrice(0.05, 0.40),
    "gpt-5-mini": TokenPrice(0.25, 2.00),
    "gpt-5": TokenPrice(1.25, 10.00),
    "o4-mini": TokenPrice(1.10, 4.40),
}
UNKNOWN_MODEL = TokenPrice(2.50, 10.00)

# Text tokens in, image tokens out.
IMAGE_TOKEN_PRICES: dict[str, TokenPrice] = {
    "gpt-image-1-mini": TokenPrice(2.00, 8.00),
    "gpt-image-1": TokenPrice(5.00, 40.00),
}

# USD per image by (quality, size) when a reply carries no usage, and for per-image models.
IMAGE_PRICES: dict[str, dict[tuple[str, str], float]] = {
    "gpt-image-1-mini": {
        ("low", "1024x1024"): 0.005,
        ("medium", "1024x1024"): 0.011,
        ("high", "1024x1024"): 0.036,
        ("low", "wide"): 0.006,
        ("medium", "wide"): 0.015,
        ("high", "wide"): 0.052,
    },
    "gpt-image-1": {
        ("low", "1024x1024"): 0.011,
        ("medium", "1024x1024"): 0.042,
        ("high", "1024x1024"): 0.167,
        ("low", "wide"): 0.016,
        ("medium", "wide"): 0.063,
        ("high", "wide"): 0.25,
    },
    "dall-e-3": {
        ("standard", "1024x1024"): 0.04,
        ("standard", "wide"): 0.08,
        ("hd", "1024x1024"): 0.08,
        ("hd", "wide"): 0.12,
    },
    "dall-e-2": {
        ("standard", "1024x1024"): 0.02,
        ("standard", "512x512"): 0.018,
        ("standard", "256x256"): 0.016,
    },
}
UNKNOWN_IMAGE = 0.25


def _family(model: str, table: dict) -> str | None:
    matches = [name for name in table if model == name or model.startswith(name + "-")]
    return max(matches, key=len) if matches else None


def chat_price(model: str) -> TokenPrice:
    family = _family(model, CHAT_PRICES)
    return CHAT_PRICES[family] if family else UNKNOWN_MODEL


def chat_cost(model: str, tokens_in: int, tokens_out: int) -> float:
    """USD for one chat call."""
    price = chat_price(model)
    return (tokens_in * price.input + tokens_out * price.output) / PER_MILLION


def image_cost(
    model: str,
    *,
    size: str,
    quality: str,
    images: int = 1,
    tokens_in: int | None = None,
    tokens_out: int | None = None,
) -> float:
    """USD for one image call: from usage when the model is priced by tokens, else per image."""
    token_family = _family(model, IMAGE_TOKEN_PRICES)
    if token_family and tokens_in is not None and tokens_out is not None:
        price = IMAGE_TOKEN_PRICES[token_family]
        return (tokens_in * price.input + tokens_out * price.output) / PER_MILLION
    family = _family(model, IMAGE_PRICES)
    if family is None:
        return UNKNOWN_IMAGE * images
    table = IMAGE_PRICES[family]
    shape = size if size in {s for _, s in table} else "wide"
    quality = quality if any(q == quality for q, _ in table) else next(iter(table))[0]
    return table.get((quality, shape), max(table.values())) * images
