"""A real model (SmolLM2-135M) behind llama.cpp's OpenAI-compatible server, via the openai client.

Sampling matters with a model this small: at temperature 0 it repeats itself inside an
unbounded string or list until max_tokens runs out, so the reply is cut mid-JSON. A little
temperature, a fixed seed, a frequency penalty and maxLength/maxItems in the schema (the
server turns the schema into a grammar) make it close the JSON in time.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator

import openai
import pydantic
import pytest

from merlin_assets.testing.llama_server import MODEL_NAME, LlamaServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs_extra("llama"),
]

SAMPLING = {"temperature": 0.7, "seed": 7, "frequency_penalty": 0.5, "max_tokens": 200}
MESSAGES = [
    {"role": "system", "content": "You write short website copy. Answer in JSON."},
    {"role": "user", "content": "A bakery in Leeds that sells sourdough and cinnamon buns."},
]


class Hero(pydantic.BaseModel):
    headline: str = pydantic.Field(min_length=1, max_length=60)
    tagline: str = pydantic.Field(max_length=120)
    highlights: list[str] = pydantic.Field(min_length=1, max_length=3)


@pytest.fixture(scope="module")
def llama() -> Iterator[LlamaServer]:
    with LlamaServer() as server:
        yield server


@pytest.fixture
def client(llama: LlamaServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=llama.base_url, api_key="local", max_retries=0, timeout=120)


def test_serves_the_packaged_model(llama: LlamaServer) -> None:
    assert [m["id"] for m in llama.models()["data"]] == [MODEL_NAME]


def test_structured_output_parses(client: openai.OpenAI, llama: LlamaServer) -> None:
    completion = client.chat.completions.parse(
        model=llama.model, messages=MESSAGES, response_format=Hero, **SAMPLING
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "stop", choice.message.content
    hero = choice.message.parsed
    assert isinstance(hero, Hero)
    assert 1 <= len(hero.highlights) <= 3
    assert completion.usage is not None
    assert completion.usage.completion_tokens <= SAMPLING["max_tokens"]


def test_two_requests_at_once(client: openai.OpenAI, llama: LlamaServer) -> None:
    """Two slots: concurrent requests are decoded together, neither waits for a 503."""

    def ask(seed: int) -> Hero | None:
        completion = client.chat.completions.parse(
            model=llama.model,
            messages=MESSAGES,
            response_format=Hero,
            **{**SAMPLING, "seed": seed},
        )
        return completion.choices[0].message.parsed

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(ask, (7, 8)))
    assert all(isinstance(r, Hero) for r in replies)
    assert time.monotonic() - started < 110


def test_no_images_endpoint(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        client.images.generate(model="gpt-image-1", prompt="a sourdough loaf")


def test_stop_ends_the_server() -> None:
    server = LlamaServer().start()
    proc = server._proc
    assert proc is not None and proc.poll() is None
    server.stop()
    assert proc.poll() is not None
    assert not server._healthy()
