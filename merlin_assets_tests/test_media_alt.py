"""Alt text from a vision model: only for a photo without alt, only over the `vision` route,
checked by the content gate, and an error naming the photo's file and field otherwise.

The real `openai` client over HTTP to `FakeOpenAI` on 127.0.0.1, through a real endpoint pool.
"""

from __future__ import annotations

import asyncio
import base64
import io
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageStat

from merlin_assets.config.project import ConfigError
from merlin_assets.llm.base import ChatRequest
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.llm.openai_provider import OpenAIOptions
from merlin_assets.llm.pool import PooledLLM
from merlin_assets.media.load import load_with_media
from merlin_assets.media.pool import shutdown
from merlin_assets.phases.base import NodeInputs
from merlin_assets.testing.openai_http import image_parts
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.types.images import PhotoAlt
from merlin_assets_tests.phase_support import GRAPH, scheduler

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "with-media" / "harbour-loaf"
CHAT = "/v1/chat/completions"


@pytest.fixture(autouse=True)
def _checked_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MERLIN_MEDIA_CHECKED", str(tmp_path / "checked"))


def _project(tmp_path: Path, *, without_alt: tuple[str, ...] = ()) -> Path:
    """The harbour-loaf example copied, with the alt of the named photo files taken out."""
    folder = tmp_path / "harbour-loaf"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "harbour-loaf.yaml"
    data = yaml.safe_load(path.read_text())
    for photo in data["photos"]:
        if photo["file"] in without_alt:
            del photo["alt"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _shown(request: dict) -> list[Image.Image]:
    """The images a chat request showed the model, decoded from their data URLs."""
    out = []
    for url in image_parts(request.get("messages")):
        head, data = url.split(",", 1)
        assert head == "data:image/jpeg;base64", head
        raw = base64.b64decode(data)
        assert b"MerlinCam" not in raw and b"SN-4242" not in raw
        img = Image.open(io.BytesIO(raw))
        img.load()
        out.append(img)
    return out


def _tone(img: Image.Image) -> str:
    r, _, b = ImageStat.Stat(img.convert("RGB")).mean
    return "warm" if r > b else "cool"


class Seer:
    """A scripted vision model: describes what it is shown from the pixels it got, and may
    invent a claim on its first answers; every other request gets the schema's filler."""

    def __init__(self, invent: int = 0):
        self.invent = invent
        self.seen: list[Image.Image] = []
        self.prompts: list[str] = []

    def __call__(self, request: dict):
        shown = _shown(request)
        if not shown:
            return None
        self.seen += shown
        text = next(p["text"] for p in request["messages"][1]["content"] if p.get("type") == "text")
        self.prompts.append(text)
        if len(self.prompts) <= self.invent:
            return {"alt": "Award-winning baker James Miller, voted best in Yorkshire 2023"}
        img = shown[0]
        upright = "an upright" if img.height > img.width else "a wide"
        return {"alt": f"A baker glazing a tray of buns in {_tone(img)} light, {upright} view"}


def _endpoints(tmp_path: Path, url: str, *, vision: bool) -> Path:
    spec = {"base_url": url, "chat_model": "gpt-4o-mini", "image_model": "gpt-image-1"}
    routes = {"default": ["writer"]}
    endpoints = [{"name": "writer", **spec}]
    if vision:
        endpoints.append({"name": "seer", **spec, "chat_model": "gpt-4o"})
        routes["vision"] = ["seer"]
    path = tmp_path / "endpoints.yaml"
    path.write_text(yaml.safe_dump({"endpoints": endpoints, "routes": routes}))
    return path


def _pool(tmp_path: Path, url: str, *, vision: bool) -> PooledLLM:
    return PooledLLM.open(
        _endpoints(tmp_path, url, vision=vision),
        defaults=OpenAIOptions(timeout_s=20, max_retries=0),
        cache_dir=tmp_path / "cache",
        cache=False,
    )


async def _closing(llm, work):
    """`work`, then the pool's clients closed on the same event loop."""
    try:
        return await work
    finally:
        await llm.aclose()


def _read_config(tmp_path: Path, config: Path, llm) -> list:
    """Run the config node alone; its events."""
    events: list = []
    load = load_with_media(config, vision=llm.vision)
    sched = scheduler(
        project_id=load.project_id,
        llm=llm,
        work=tmp_path / "work",
        sites=tmp_path / "sites",
        emit=events.append,
        config_path=config,
    )
    asyncio.run(_closing(llm, sched.run(["project_config"])))
    return events


def test_a_photo_without_alt_is_described_from_its_pixels_over_the_vision_route(tmp_path):
    config = _project(tmp_path, without_alt=("media/tom.jpg",))
    seer = Seer()
    with FakeOpenAI(ServerSettings(responder=seer)) as fake:
        events = _read_config(tmp_path, config, _pool(tmp_path, fake.base_url, vision=True))
        requests = [r for r in fake.requests if r["path"] == CHAT]
    (event,) = [e for e in events if e.asset == "project_config"]
    tom = next(p for p in event.value.photos if p.file == "media/tom.jpg")
    with Image.open(config.parent / "media" / "tom.jpg") as original:
        tone = _tone(original)
    assert tom.alt == f"A baker glazing a tray of buns in {tone} light, an upright view"
    assert [r["images_in"] for r in requests] == [1]
    assert [r["model"] for r in requests] == ["gpt-4o"]  # the seer, not the default writer
    (shown,) = seer.seen
    # Upright (the 900x1200 portrait) and at most 768 px on its long side; no EXIF.
    assert shown.size == (576, 768) and not shown.getexif()
    # The photo is Tom's (team: Tom Ashworth, photo: media/tom.jpg), so he may be named.
    assert "Tom Ashworth" in seer.prompts[0]
    (call,) = event.calls
    assert (call.kind, call.endpoint, call.status) == ("vision", "seer", "ok")
    others = {p.file: p.alt for p in event.value.photos if p.file != "media/tom.jpg"}
    assert all(others.values()) and len(others) == 7


def test_an_invented_claim_is_asked_for_again_with_the_findings(tmp_path):
    config = _project(tmp_path, without_alt=("media/tom.jpg",))
    seer = Seer(invent=1)
    with FakeOpenAI(ServerSettings(responder=seer)) as fake:
        events = _read_config(tmp_path, config, _pool(tmp_path, fake.base_url, vision=True))
        shown = [r["images_in"] for r in fake.requests if r["path"] == CHAT]
    (event,) = [e for e in events if e.asset == "project_config"]
    tom = next(p for p in event.value.photos if p.file == "media/tom.jpg")
    assert tom.alt.startswith("A baker glazing a tray of buns")
    assert shown == [1, 1]
    assert "failed these checks" in seer.prompts[1] and "James Miller" in seer.prompts[1]
    assert "failed these checks" not in seer.prompts[0]


def test_a_description_that_fails_twice_is_an_error_naming_file_and_field(tmp_path):
    config = _project(tmp_path, without_alt=("media/maggie.jpg",))
    seer = Seer(invent=2)
    with FakeOpenAI(ServerSettings(responder=seer)) as fake:
        with pytest.raises(ConfigError) as err:
            _read_config(tmp_path, config, _pool(tmp_path, fake.base_url, vision=True))
        assert [r["images_in"] for r in fake.requests if r["path"] == CHAT] == [1, 1]
    assert err.value.field == "photos[5].alt"
    assert "media/maggie.jpg" in err.value.reason and "add alt:" in err.value.reason
    assert "content gate twice" in err.value.reason
    work = tmp_path / "work"
    assert not work.exists() or not [p for p in work.rglob("*") if p.is_file()]


def test_without_a_vision_route_a_missing_alt_is_an_error_and_nothing_is_sent(tmp_path):
    config = _project(tmp_path, without_alt=("media/ovens.jpg",))
    for vision in (False, None):  # a pool without the route; the offline provider
        with pytest.raises(ConfigError) as err:
            load_with_media(config, vision=bool(vision))
        assert err.value.field == "photos[1].alt"
        assert "'media/ovens.jpg'" in err.value.reason and "add alt:" in err.value.reason
        assert "vision" in err.value.reason
    with FakeOpenAI(ServerSettings(responder=Seer())) as fake:
        llm = _pool(tmp_path, fake.base_url, vision=False)
        assert not llm.vision and not OfflineLLM().vision
        # Even a request that carries a photo goes nowhere without the route.
        request = ChatRequest(
            phase="layout",
            item="photo:x",
            system="s",
            prompt="p",
            schema=PhotoAlt,
            inputs=NodeInputs(config=load_with_media(_project(tmp_path / "b"))),
            image=b"\xff\xd8\xff\xd9",
        )
        result = asyncio.run(_closing(llm, llm.chat(request)))
        assert result.call.status == "fallback" and "route vision" in result.call.fallback_reason
        assert [r for r in fake.requests if r["path"] == CHAT] == []


@pytest.mark.slow
def test_no_photo_is_sent_when_every_alt_is_given(tmp_path):
    config = _project(tmp_path)
    with FakeOpenAI(ServerSettings()) as fake:
        llm = _pool(tmp_path, fake.base_url, vision=True)
        loaded = load_with_media(config, vision=True)
        sched = scheduler(
            project_id=loaded.project_id,
            llm=llm,
            work=tmp_path / "work",
            sites=tmp_path / "sites",
            config_path=config,
        )
        try:
            asyncio.run(_closing(llm, sched.run(GRAPH.project_nodes)))
        finally:
            shutdown()
        chats = [r for r in fake.requests if r["path"] == CHAT]
    assert len(chats) > 10
    assert sum(r["images_in"] for r in chats) == 0
    assert {r["model"] for r in chats} == {"gpt-4o-mini"}  # the seer was never asked
    assert (tmp_path / "sites" / loaded.project_id / "index.html").is_file()


def test_merlin_generate_by_rules_refuses_a_missing_alt_even_with_a_vision_route(tmp_path):
    import os
    import subprocess
    import sys

    from merlin_assets.llm.endpoints import vision_configured

    config = _project(tmp_path, without_alt=("media/harbour.jpg",))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with_route = _endpoints(tmp_path / "a", "http://127.0.0.1:9/v1", vision=True)
    without = _endpoints(tmp_path / "b", "http://127.0.0.1:9/v1", vision=False)
    assert vision_configured({"MERLIN_ENDPOINTS": str(with_route)})
    assert not vision_configured({"MERLIN_ENDPOINTS": str(without)})
    assert not vision_configured({})
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "MERLIN_MEDIA_CHECKED": str(tmp_path / "checked"),
        "MERLIN_ENDPOINTS": str(with_route),
    }
    # --rules calls no model, so the vision route cannot help: refused before anything runs.
    proc = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(config), "--rules"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "photos[4].alt" in proc.stderr and "'media/harbour.jpg'" in proc.stderr
    assert "add alt:" in proc.stderr
    assert not (tmp_path / "sites").exists() and not (tmp_path / ".merlin").exists()
