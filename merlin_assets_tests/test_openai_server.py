"""The fake OpenAI server, driven by the real openai client over HTTP."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import random
import struct
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openai
import pydantic
import pytest
from openai.lib._pydantic import to_strict_json_schema
from PIL import Image

from merlin_assets.phases.style_system import StyleSystem
from merlin_assets.testing.openai_server import (
    REFUSAL_TEXT,
    FakeOpenAI,
    ServerSettings,
    instance_for_schema,
)
from merlin_assets.types.pages import SectionPlan
from merlin_assets.types.site_copy import Copywriting
from merlin_assets_tests.phase_support import PHASE_MODELS

MESSAGES = [
    {"role": "system", "content": "You plan websites."},
    {"role": "user", "content": "A bakery in Leeds that sells sourdough."},
]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(ServerSettings(seed=7)) as server:
        yield server


def client_for(fake: FakeOpenAI, key: str = "sk-test-1", timeout: float = 5) -> openai.OpenAI:
    return openai.OpenAI(base_url=fake.base_url, api_key=key, max_retries=0, timeout=timeout)


def raw_request(url: str, key: str | None, body: dict | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def chat(client: openai.OpenAI, model: type[pydantic.BaseModel] = SectionPlan):
    return client.chat.completions.parse(
        model="gpt-4o-mini", messages=MESSAGES, response_format=model
    )


@pytest.mark.parametrize("model", [SectionPlan, Copywriting, StyleSystem])
def test_structured_output_parses_into_product_models(fake: FakeOpenAI, model: type) -> None:
    completion = chat(client_for(fake), model)
    choice = completion.choices[0]
    assert completion.object == "chat.completion"
    assert choice.finish_reason == "stop"
    assert choice.message.refusal is None
    assert isinstance(choice.message.parsed, model)
    assert completion.usage.prompt_tokens >= 10
    assert completion.usage.completion_tokens > 0
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


def test_generated_instances_validate_for_every_phase_model() -> None:
    rng = random.Random(3)
    for model in PHASE_MODELS.values():
        for _ in range(5):
            model.model_validate(instance_for_schema(to_strict_json_schema(model), rng))


def test_instance_generator_respects_constraints() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 4, "maxItems": 4},
            "short": {"type": "string", "maxLength": 5},
            "score": {"type": "integer", "minimum": 10, "maximum": 12},
            "ratio": {"type": "number", "description": "1.125-1.333"},
            "maybe": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "node": {"$ref": "#/$defs/Node"},
        },
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {"child": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}},
            }
        },
    }
    for seed in range(20):
        value = instance_for_schema(schema, random.Random(seed))
        assert len(value["tags"]) == 4
        assert len(value["short"]) <= 5
        assert 10 <= value["score"] <= 12
        assert 1.125 <= value["ratio"] <= 1.333
        assert value["maybe"] is None or isinstance(value["maybe"], str)
        assert value["kind"] in ("a", "b")
        assert isinstance(value["node"], dict)


def test_hostile_payloads_are_spliced_into_strings(fake: FakeOpenAI) -> None:
    payloads = ["<script>alert(1)</script>", "'; DROP TABLE sites; --"]
    fake.update(payloads=payloads)
    parsed = chat(client_for(fake), Copywriting).choices[0].message.parsed
    text = parsed.model_dump_json()
    assert all(json.dumps(p)[1:-1] in text for p in payloads)


def test_responder_supplies_content(fake: FakeOpenAI) -> None:
    seen: list[dict] = []

    def responder(request: dict) -> dict:
        seen.append(request)
        return {"sections": [{"key": "hero", "type": "hero", "importance": 5, "notes": "Big"}]}

    fake.update(responder=responder)
    parsed = chat(client_for(fake)).choices[0].message.parsed
    assert parsed.sections[0].key == "hero"
    # What the SDK sends for a pydantic response_format: a strict, named json_schema.
    fmt = seen[0]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "SectionPlan"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False


@pytest.mark.parametrize("size", ["1024x1024", "1536x1024", "1024x1536"])
def test_images_are_pngs_of_the_requested_size(fake: FakeOpenAI, size: str) -> None:
    result = client_for(fake).images.generate(
        model="gpt-image-1", prompt="A loaf of bread", size=size, response_format="b64_json"
    )
    data = base64.b64decode(result.data[0].b64_json)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as img:
        assert f"{img.width}x{img.height}" == size
    assert result.usage is not None and result.usage.output_tokens > 0


def test_bad_image_and_bomb_faults(fake: FakeOpenAI) -> None:
    client = client_for(fake)
    fake.update(faults={"bad_image": 1.0})
    bad = base64.b64decode(client.images.generate(prompt="x", model="dall-e-3").data[0].b64_json)
    with pytest.raises(Image.UnidentifiedImageError):
        Image.open(io.BytesIO(bad))
    fake.update(faults={"bomb": 1.0})
    bomb = base64.b64decode(client.images.generate(prompt="x", model="dall-e-3").data[0].b64_json)
    assert len(bomb) < 300_000
    assert struct.unpack(">II", bomb[16:24]) == (30000, 30000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))


def test_429_carries_retry_after(fake: FakeOpenAI) -> None:
    fake.update(faults={"429": 1.0}, retry_after_s=0.25)
    with pytest.raises(openai.RateLimitError) as caught:
        chat(client_for(fake))
    assert caught.value.response.headers["retry-after"] == "0.25"
    assert caught.value.code == "rate_limit_exceeded"
    assert fake.requests[-1]["fault"] == "429"


def test_500_raises_internal_server_error(fake: FakeOpenAI) -> None:
    fake.update(faults={"500": 1.0})
    with pytest.raises(openai.InternalServerError):
        client_for(fake).images.generate(prompt="x", model="gpt-image-1")


def test_rejected_and_missing_keys_get_401(fake: FakeOpenAI) -> None:
    fake.update(rejected_keys={"sk-revoked"})
    with pytest.raises(openai.AuthenticationError) as caught:
        chat(client_for(fake, key="sk-revoked"))
    assert caught.value.code == "invalid_api_key"
    assert caught.value.body["message"] == "Incorrect API key provided"
    status, body = raw_request(f"{fake.base_url}/models", key=None)
    assert status == 401 and "error" in body
    status, body = raw_request(f"{fake.base_url}/nope", key="sk-test-1")
    assert status == 404 and "error" in body


def test_truncated_refusal_and_malformed(fake: FakeOpenAI) -> None:
    client = client_for(fake)
    fake.update(faults={"truncated": 1.0})
    with pytest.raises(openai.LengthFinishReasonError):
        chat(client)
    fake.update(faults={"refusal": 1.0})
    message = chat(client).choices[0].message
    assert message.refusal == REFUSAL_TEXT
    assert message.content is None and message.parsed is None
    fake.update(faults={"malformed": 1.0})
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=MESSAGES,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "SectionPlan", "schema": to_strict_json_schema(SectionPlan)},
        },
    )
    assert completion.choices[0].finish_reason == "stop"
    with pytest.raises(json.JSONDecodeError):
        json.loads(completion.choices[0].message.content)
    with pytest.raises(pydantic.ValidationError):
        chat(client)


def test_hang_times_out_quickly(fake: FakeOpenAI) -> None:
    fake.update(faults={"hang": 1.0}, hang_s=10)
    with pytest.raises(openai.APITimeoutError):
        chat(client_for(fake, timeout=0.5))
    # The client gave up on the hanging request instead of waiting out the server's 10 s: the
    # server records a request when it answers, and it has answered none yet.
    assert fake.requests == []


def test_per_key_rpm_is_enforced_by_the_server(fake: FakeOpenAI) -> None:
    fake.update(per_key_rpm={"sk-a": 2})
    limited = client_for(fake, key="sk-a")
    chat(limited)
    chat(limited)
    with pytest.raises(openai.RateLimitError) as caught:
        chat(limited)
    assert 55 < float(caught.value.response.headers["retry-after"]) <= 60
    chat(client_for(fake, key="sk-b"))  # other keys have no limit
    faults = [(r["key"], r["fault"]) for r in fake.requests]
    assert faults == [("sk-a", None), ("sk-a", None), ("sk-a", "rpm"), ("sk-b", None)]


def test_fault_draws_are_seeded_and_near_the_rate() -> None:
    outcomes = []
    for _ in range(2):
        with FakeOpenAI(ServerSettings(faults={"500": 0.5}, seed=11)) as server:
            client = client_for(server)
            for _ in range(40):
                client.models.list()  # listing models is never faulted
                with contextlib.suppress(openai.InternalServerError):
                    chat(client)
            outcomes.append([r["fault"] for r in server.requests if "chat" in r["path"]])
    assert outcomes[0] == outcomes[1]
    assert 10 <= outcomes[0].count("500") <= 30


def test_concurrent_requests_overlap_and_log_keys(tmp_path: Path) -> None:
    log_path = tmp_path / "requests.jsonl"
    settings = ServerSettings(chat_latency_s=0.4, image_latency_s=0.4)
    with FakeOpenAI(settings, log_path=log_path) as server:
        clients = [client_for(server, key=f"sk-{i % 3}") for i in range(24)]
        with ThreadPoolExecutor(max_workers=24) as pool:
            list(pool.map(chat, clients))
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    # Overlap from the server's own records, not the wall clock: at the moment the last
    # request started, most of the others were still being answered (serially, none would be).
    last_start = max(line["ts_start"] for line in lines)
    in_flight = sum(1 for line in lines if line["ts_start"] <= last_start < line["ts_end"])
    assert in_flight >= 12, in_flight
    assert len(lines) == 24
    assert {line["key"] for line in lines} == {"sk-0", "sk-1", "sk-2"}
    assert all(line["ts_end"] - line["ts_start"] >= 0.4 for line in lines)
    assert all(line["model"] == "gpt-4o-mini" and line["status"] == 200 for line in lines)


def test_cli_prints_url_and_serves(tmp_path: Path) -> None:
    log_path = tmp_path / "cli.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "merlin_assets.testing.openai_server",
            "--port",
            "0",
            "--chat-latency",
            "0.01",
            "--fault",
            "429=0",
            "--log",
            str(log_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        client = openai.OpenAI(base_url=url, api_key="sk-cli", max_retries=0, timeout=5)
        assert "gpt-4o-mini" in {m.id for m in client.models.list()}
        assert isinstance(chat(client).choices[0].message.parsed, SectionPlan)
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
        proc.stdout.close()
    keys = [json.loads(line)["key"] for line in log_path.read_text().splitlines()]
    assert keys == ["sk-cli", "sk-cli"]
