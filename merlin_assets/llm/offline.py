"""The built-in provider: rule-based writers and Pillow drawings, no network, deterministic."""

from __future__ import annotations

import asyncio

from PIL import Image

from merlin_assets.imaging.draw import draw_image
from merlin_assets.industries import profile_for
from merlin_assets.llm.base import (
    LLM,
    CallRecord,
    ChatRequest,
    ChatResult,
    ImageRequest,
    ImageResult,
    T,
    now,
)


def write_by_rules(request: ChatRequest[T]) -> T:
    """The rule-based answer to a request: the offline provider's reply and every fallback."""
    if request.rules is None:  # a call no phase makes (the fact-check judge): its empty
        return request.schema()  # answer, which the caller knows for no answer by its status
    value = request.rules()
    assert isinstance(value, request.schema)
    return value


def draw(request: ImageRequest) -> Image.Image:
    """The offline image for a request, in the scene that suits the business's industry."""
    scene = profile_for(request.config).scene if request.config else ""
    return draw_image(request.image, request.palette, request.size, request.seed, scene=scene)


class OfflineLLM(LLM):
    """Writes industry-aware copy from rules and draws images, so a site needs no API key."""

    name = "offline"

    async def chat(self, request: ChatRequest[T]) -> ChatResult[T]:
        started = now()
        value = write_by_rules(request)
        call = CallRecord(
            item=request.item,
            kind="chat",
            provider=self.name,
            model="rules",
            started_at=started,
            finished_at=now(),
        )
        return ChatResult(value=value, call=call)

    async def image(self, request: ImageRequest) -> ImageResult:
        started = now()
        # Drawing is CPU work in Pillow, which releases the GIL; a thread keeps the loop free.
        image = await asyncio.to_thread(draw, request)
        call = CallRecord(
            item=request.item,
            kind="image",
            provider=self.name,
            model="pillow",
            images=1,
            started_at=started,
            finished_at=now(),
        )
        return ImageResult(image=image, call=call)
