"""Runs the declared graph of one project: the scheduler and its provider calls."""

from merlin_assets.engine.calls import Calls
from merlin_assets.engine.scheduler import Clock, Emit, ItemEvent, Scheduler, gather_all, stream

__all__ = [
    "Calls",
    "Clock",
    "Emit",
    "ItemEvent",
    "Scheduler",
    "gather_all",
    "stream",
]
