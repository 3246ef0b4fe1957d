"""The LLM interface every provider implements, and the record each call leaves behind."""

from __future__ import annotations

import abc
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from PIL import Image

from merlin_assets.config.project import ProjectConfig
from merlin_assets.types.images import PlannedImage
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.types.style import Palette

T = TypeVar("T", bound=PhaseModel)


class CallInputs(Protocol):
    """What a provider reads of a node's inputs (`phases.base.NodeInputs`): the config, for
    the project's spending cap. A protocol, so the providers sit below the nodes."""

    config: ProjectConfig


@dataclass(frozen=True)
class ChatRequest(Generic[T]):
    """One structured-output call: the prompt for a model, the facts for the rule writer."""

    phase: str
    item: str
    system: str
    prompt: str
    schema: type[T]
    inputs: CallInputs
    # The phase's output budget; the provider caps it at its own `max_output_tokens`.
    max_output_tokens: int | None = None
    # The phase's rule writer for these inputs: the offline answer and every fallback. None for
    # a call no phase makes (the fact-check judge), whose answer by rules is the empty one.
    rules: Callable[[], T] | None = None
    # A JPEG the model is shown with the prompt (a photo to describe). Only the `vision` route
    # ever carries one: a provider without it answers by the rules and sends nothing.
    image: bytes | None = None


@dataclass(frozen=True)
class ImageRequest:
    item: str
    image: PlannedImage
    palette: Palette
    size: tuple[int, int]
    seed: int
    config: ProjectConfig | None = None


@dataclass
class CallRecord:
    """What one provider call cost and how it went; lands in metadata and the timings store."""

    item: str
    kind: str
    provider: str
    model: str
    started_at: float = 0.0
    finished_at: float = 0.0
    wait_s: float = 0.0
    attempts: int = 1
    tokens_in: int = 0
    tokens_out: int = 0
    # The max_completion_tokens the request carried (0 when no request was sent to a model):
    # what a test holds `tokens_out` to.
    max_completion_tokens: int = 0
    images: int = 0
    cost_usd: float = 0.0
    cache_hit: bool = False
    key_alias: str = ""
    status: str = "ok"
    fallback_reason: str = ""
    # The endpoint that answered (`openai` with one service; a pool's endpoint name), and the
    # endpoints tried before it with why each was passed over.
    endpoint: str = ""
    failover: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return round(self.finished_at - self.started_at, 4)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["duration_s"] = self.duration_s
        data["started_at"] = iso(self.started_at)
        data["finished_at"] = iso(self.finished_at)
        return data


@dataclass
class ChatResult(Generic[T]):
    value: T
    call: CallRecord

    @property
    def fallback(self) -> bool:
        return self.call.status == "fallback"


@dataclass
class ImageResult:
    image: Image.Image
    call: CallRecord

    @property
    def fallback(self) -> bool:
        return self.call.status == "fallback"


class GaveUp(Exception):
    """A provider stopped asking and did not answer by the rules (an endpoint pool's member);
    `call` says why."""

    def __init__(self, call: CallRecord):
        super().__init__(call.fallback_reason)
        self.call = call


class LLM(abc.ABC):
    """A provider of structured text and images. Implementations never raise for a bad reply:
    they fall back to the rule-based writer and say so in the call record."""

    name: str
    # Whether the fact-check judge reads this provider's copy (MERLIN_FACT_CHECK).
    fact_check: bool = True
    # Whether a model that can see is configured (an endpoint pool's `vision` route): only
    # then may a user's photo be sent, to describe one that has no alt text.
    vision: bool = False

    @abc.abstractmethod
    async def chat(self, request: ChatRequest[T]) -> ChatResult[T]: ...

    @abc.abstractmethod
    async def image(self, request: ImageRequest) -> ImageResult: ...

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release connections; providers without any keep the default."""


def now() -> float:
    return time.time()


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")
