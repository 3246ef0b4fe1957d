"""The messages of a chat request: the system prompt, and the user's prompt with the photo
beside it when the request shows one (alt text from a vision model)."""

from __future__ import annotations

import base64
from typing import Any

from merlin_assets.llm.base import ChatRequest

# A photo sent with `detail: low` costs a flat 85 input tokens on OpenAI's vision models.
IMAGE_TOKENS = 85


def chat_messages(request: ChatRequest) -> list[dict[str, Any]]:
    """The system and user messages, as the chat completions API takes them."""
    return [
        {"role": "system", "content": request.system},
        {"role": "user", "content": _user_content(request)},
    ]


def image_tokens(request: ChatRequest) -> int:
    """The input tokens the request's photo adds to the estimate made before the call."""
    return IMAGE_TOKENS if request.image is not None else 0


def _user_content(request: ChatRequest) -> str | list[dict[str, Any]]:
    """The prompt, and the photo beside it as a data URL when the request shows one."""
    if request.image is None:
        return request.prompt
    url = "data:image/jpeg;base64," + base64.b64encode(request.image).decode("ascii")
    return [
        {"type": "text", "text": request.prompt},
        {"type": "image_url", "image_url": {"url": url, "detail": "low"}},
    ]
