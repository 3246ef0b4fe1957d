"""A real model (SmolLM2-135M) behind llama.cpp's OpenAI-compatible server, via the openai client.

Sampling matters with a model this small: at temperature 0 it repeats itself inside an
unbounded string or list until max_tokens runs out, so the reply is cut mid-JSON. A little
temperature, a fixed seed, a frequency penalty and maxLength/maxItems in the schema (the
server turns the schema into a grammar) make it close the JSON in time.
"""

from __future__ import annotations

import concurrent.futures
import json
from collections.abc import Iterator

import openai
import pydantic
import pytest

from merlin_assets.content_gate.relevance import place_words, service_mentioned
from merlin_assets.content_gate.text import norm, words
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


# The business the sense test asks about, as the gate knows it: its place and its trade.
PLACE = "Leeds"
TRADE = ("bakery", "sourdough", "cinnamon buns")
# One worked example (another trade, another town) before the question: with the bare request
# this 135M model copied the headline into the tagline in 5 of 5 seeds; with the example it
# wrote distinct fields that name the town and the trade in 2 of 6 (seeds 1 and 2, probed
# 2026-12-06), which is the seeds the sense test asks with.
SENSE_MESSAGES = [
    {
        "role": "system",
        "content": "You write short website copy. Answer in JSON. "
        "The tagline says more than the headline.",
    },
    {"role": "user", "content": "A florist in Bath that sells wedding bouquets."},
    {
        "role": "assistant",
        "content": json.dumps(
            {
                "headline": "Flowers for your day in Bath",
                "tagline": "A small florist by the Abbey arranging seasonal wedding bouquets.",
                "highlights": ["Wedding bouquets", "Seasonal flowers"],
            }
        ),
    },
    {"role": "user", "content": f"A {TRADE[0]} in {PLACE} that sells {TRADE[1]} and {TRADE[2]}."},
]
SENSE_SEEDS = (1, 2)


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


def sense_problems(hero: Hero) -> list[str]:
    """What the gate's own word rules find wrong with a hero for the Leeds bakery: the place or
    the trade missing, or a field that says the same words as another."""
    fields = [hero.headline, hero.tagline, *hero.highlights]
    problems = []
    if not any(w.lower() in words(" ".join(fields)) for w in place_words(PLACE)):
        problems.append(f"{PLACE} is not named")
    if not any(service_mentioned(t, [words(f) for f in fields]) for t in TRADE):
        problems.append(f"none of {TRADE} is named")
    said = [norm(f) for f in fields]
    repeated = sorted({f for f in said if said.count(f) > 1})
    if repeated:
        problems.append(f"repeated: {repeated}")
    return problems


def test_the_reply_makes_sense(client: openai.OpenAI, llama: LlamaServer) -> None:
    """Parsing is not enough: a probe once got headline "Bristol", tagline "Bristol" and
    highlights ["Bristol", "Briswaley"] for a Leeds bakery. Each reply is judged by what the
    gate knows; a model this small is allowed a bad seed, not two."""
    judged = {}
    for seed in SENSE_SEEDS:
        completion = client.chat.completions.parse(
            model=llama.model,
            messages=SENSE_MESSAGES,
            response_format=Hero,
            **{**SAMPLING, "seed": seed},
        )
        hero = completion.choices[0].message.parsed
        assert isinstance(hero, Hero)
        judged[seed] = (hero.model_dump(), sense_problems(hero))
    assert any(not problems for _, problems in judged.values()), judged


def test_the_sense_rules_catch_the_bristol_reply() -> None:
    # The judge above must be able to say no: the reply the probe saw fails it on every count.
    bad = Hero(headline="Bristol", tagline="Bristol", highlights=["Bristol", "Briswaley"])
    assert sense_problems(bad) == [
        "Leeds is not named",
        f"none of {TRADE} is named",
        "repeated: ['bristol']",
    ]
    good = Hero(
        headline="Sourdough and cinnamon buns in Leeds",
        tagline="A family bakery baking every morning.",
        highlights=["Sourdough"],
    )
    assert sense_problems(good) == []


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

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(ask, (7, 8)))
    # Both answered (a busy slot would be a 503, which the client raises); how fast is the
    # benches' business, not a wall-clock bound that a loaded machine breaks.
    assert all(isinstance(r, Hero) for r in replies)


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
