"""Group commit: writes that pile up while one transaction runs go into the next, together.

A busy bot makes many small writes of the same kind (store an update, mark one done); one transaction for a
group of them costs about what one costs alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupWriter(Generic[Item, Result]):
    """Writes items in groups: the first item starts a write, and what arrives meanwhile goes into the next."""

    def __init__(self, write: Callable[[list[Item]], Awaitable[list[Result]]]) -> None:
        self._write = write
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    def submit(self, item: Item) -> asyncio.Future[Result]:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._idle.clear()
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._drain())
        return future

    async def idle(self) -> None:
        """Returns once everything submitted so far is written (or failed)."""
        await self._idle.wait()

    async def _drain(self) -> None:
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                try:
                    results = await self._write([item for item, _future in group])
                except Exception as error:  # each submitter gets the failure
                    for _item, future in group:
                        if not future.done():
                            future.set_exception(error)
                else:
                    for (_item, future), result in zip(group, results, strict=True):
                        if not future.done():
                            future.set_result(result)
        finally:
            self._writer = None
            self._idle.set()
