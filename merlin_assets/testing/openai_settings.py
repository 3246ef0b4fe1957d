"""What a `FakeOpenAI` does: fault kinds, limits, and the settings that can change at runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"
CHAT_FAULTS = ("429", "500", "hang", "malformed", "truncated", "refusal")
IMAGE_FAULTS = ("429", "500", "hang", "refusal", "bad_image", "bomb")
FAULT_KINDS = tuple(dict.fromkeys(CHAT_FAULTS + IMAGE_FAULTS))
REFUSAL_TEXT = "I can't help with that."
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-4.1", "gpt-image-1", "dall-e-3")
BOMB_SIDE = 30000
MAX_IMAGE_SIDE = 4096

Responder = Callable[[dict[str, Any]], dict[str, Any] | str | None]


@dataclass
class ServerSettings:
    """Behaviour of a `FakeOpenAI`; change it at runtime with `FakeOpenAI.update`.

    Attributes:
        chat_latency_s: Delay before a chat completion answers.
        image_latency_s: Delay before an image generation answers.
        faults: Fraction (0-1) of requests hit by each fault kind, see `FAULT_KINDS`.
        retry_after_s: Value of the `retry-after` header on injected 429s.
        hang_s: How long a hung request stalls before the connection is dropped.
        rejected_keys: API keys answered with 401 invalid_api_key.
        per_key_rpm: Requests per sliding 60 s the server allows each key ("*": any key).
        payloads: Hostile strings spliced into generated string fields.
        seed: Seeds fault draws and generated content.
        responder: Returns the content object (or raw string) for a chat request, or None
            to fall back to schema-generated content.
        hints: Property name -> fixed value (or `callable(rng)`) for generated content.
    """

    chat_latency_s: float = 0.0
    image_latency_s: float = 0.0
    faults: dict[str, float] = field(default_factory=dict)
    retry_after_s: float = 1.0
    hang_s: float = 30.0
    rejected_keys: set[str] = field(default_factory=set)
    per_key_rpm: dict[str, int] | None = None
    payloads: list[str] = field(default_factory=list)
    seed: int = 0
    responder: Responder | None = None
    hints: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        """Raise ValueError on unknown fault kinds or rates that cannot be honoured."""
        unknown = set(self.faults) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {FAULT_KINDS}")
        for kind, rate in self.faults.items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate for {kind!r} must be within 0-1, got {rate}")
        # One uniform draw picks at most one fault, so an endpoint's rates must fit in [0, 1].
        for kinds in (CHAT_FAULTS, IMAGE_FAULTS):
            total = sum(self.faults.get(kind, 0.0) for kind in kinds)
            if total > 1.0 + 1e-9:
                raise ValueError(f"fault rates for {kinds} add up to {total:.3f} > 1")
