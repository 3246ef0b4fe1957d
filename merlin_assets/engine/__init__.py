"""Runs the declared graph of one project: the scheduler, its provider calls and publishing."""

from merlin_assets.engine.calls import Calls
from merlin_assets.engine.publisher import LocalPublisher, Publisher
from merlin_assets.engine.scheduler import Clock, Emit, ItemEvent, Scheduler, gather_all, stream

__all__ = [
    "Calls",
    "Clock",
    "Emit",
    "ItemEvent",
    "LocalPublisher",
    "Publisher",
    "Scheduler",
    "gather_all",
    "stream",
]
