"""SQLite driven on the event loop's own thread, for SQLAlchemy's aiosqlite dialect (`async_creator`).

aiosqlite runs every call (each execute, fetch, cursor, commit) on a worker thread and hands the result back
through the event loop. A unit of work then waits a loop iteration per call, behind every other chat's work,
while it holds SQLite's single write turn: under load a unit of work of 1.5 ms of CPU held the turn for about
7 ms, and every other chat's database work queued behind it. SQLite calls on a local file take microseconds,
so here they simply run where they are awaited: a unit of work runs from start to commit without giving the
loop away, and the write turn is held only as long as the work takes.

The objects below offer the part of aiosqlite's interface that SQLAlchemy's adapter uses, over `sqlite3`.
The busy timeout is short: the bot is the database's only writer, and anything else holding a write lock
(another process on the same file) must not stall every chat for long.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

BUSY_TIMEOUT_SECONDS = 1.0


class Cursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    def __aiter__(self) -> Cursor:
        return self

    async def __anext__(self) -> Any:
        row = self._cursor.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, operation: str, parameters: Any = ()) -> Cursor:
        self._cursor.execute(operation, parameters)
        return self

    async def executemany(self, operation: str, seq_of_parameters: Iterable[Any]) -> Cursor:
        self._cursor.executemany(operation, seq_of_parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class _Opened:
    """What `cursor()` returns: awaited, or entered (`async with`), it gives the cursor."""

    def __init__(self, cursor: Cursor) -> None:
        self._cursor = cursor

    def __await__(self) -> Any:
        return self._aenter().__await__()

    async def _aenter(self) -> Cursor:
        return self._cursor

    async def __aenter__(self) -> Cursor:
        return self._cursor

    async def __aexit__(self, *_exc: object) -> None:
        await self._cursor.close()


class _Immediate:
    """aiosqlite's queue of calls for its thread, run at once (SQLAlchemy sets the isolation level this way)."""

    def put_nowait(self, item: tuple[Any, Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:  # handed to whoever awaits the future, as aiosqlite does
            future.set_exception(error)


class Connection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection  # None once closed (SQLAlchemy checks it)
        self._tx = _Immediate()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> _Opened:
        return _Opened(Cursor(self._conn.cursor()))

    async def execute(self, operation: str, parameters: Sequence[Any] = ()) -> Cursor:
        return Cursor(self._conn.execute(operation, parameters))

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        """Close at once (SQLAlchemy terminates a connection this way)."""
        if self._connection is not None:
            self._connection = None
            self._conn.close()


def connector(path: str, *, uri: bool = False) -> Callable[[], Any]:
    """The `async_creator` for a database file."""

    async def connect() -> Connection:
        # The pool may close a connection from the garbage collector; calls are never concurrent.
        return Connection(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, uri=uri, check_same_thread=False))

    return connect
