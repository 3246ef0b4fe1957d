"""What every local test server shares: `with` starts it and stops it, whatever happens."""

from __future__ import annotations

from typing import Self


class Service:
    """A server a test starts on 127.0.0.1 and stops; subclasses give `start` and `stop`."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
