"""The one engine and session factory; `Database.session()` is the unit of work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.db import sqlite_driver

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_in_unit_of_work: ContextVar[bool] = ContextVar("in_unit_of_work", default=False)
_repeatable: ContextVar[bool] = ContextVar("repeatable", default=False)
_READS = ("SELECT", "PRAGMA", "WITH", "SHOW")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(sqlite_driver.BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def dialect_insert(sqlite: bool, table: Any) -> Any:
    """An INSERT in SQLite's or PostgreSQL's dialect, which can skip rows that exist (`on_conflict_do_nothing`)."""
    return (sqlite_insert if sqlite else postgresql_insert)(table)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        if self.is_sqlite:
            uri = parsed.query.get("uri") in ("true", "1")
            self.engine: AsyncEngine = create_async_engine(
                url, async_creator=sqlite_driver.connector(parsed.database or ":memory:", uri=uri)
            )
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            # A fixed pool: under load, units of work queue for a connection instead of opening (and, on return,
            # closing) overflow connections, each costing a connect and fresh prepared statements.
            self.engine = create_async_engine(url, pool_pre_ping=False, pool_size=20, max_overflow=0, pool_timeout=30)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._upgraded = False
        # Called before any statement that changes data (the update pipeline notes which turns wrote).
        self.on_write: list[Callable[[], None]] = []
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._noticed)
        # SQLite has one writer at a time, and a transaction that read before it writes fails at once (not
        # after the busy timeout) when another one wrote meanwhile: units of work take turns in this process.
        self._sqlite_turn = asyncio.Lock() if self.is_sqlite else None

    @asynccontextmanager
    async def session(self, *, repeatable: bool = False) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises. `repeatable`: its writes
        may run twice for the same update without harm (it recognises what it wrote before), so they do not
        count for `on_write`."""
        token = _repeatable.set(True) if repeatable else None
        try:
            if self._sqlite_turn is None or _in_unit_of_work.get():
                async with self._unit_of_work() as session:
                    yield session
                return
            async with self._sqlite_turn:
                inside = _in_unit_of_work.set(True)
                try:
                    async with self._unit_of_work() as session:
                        yield session
                finally:
                    _in_unit_of_work.reset(inside)
        finally:
            if token is not None:
                _repeatable.reset(token)

    @asynccontextmanager
    async def _unit_of_work(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    def _noticed(self, _connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.on_write and not _repeatable.get() and statement.lstrip()[:6].upper() not in _READS:
            for hook in self.on_write:
                hook()

    def insert(self, table: Any) -> Any:
        """An INSERT in this database's dialect, which can skip rows that exist (`on_conflict_do_nothing`)."""
        return dialect_insert(self.is_sqlite, table)

    async def upgrade(self) -> None:
        """Apply pending migrations (once per process: later calls return at once)."""
        if self._upgraded:
            return
        async with self.engine.begin() as connection:
            await connection.run_sync(self._upgrade_sync)
        self._upgraded = True

    def _upgrade_sync(self, connection: Connection) -> None:
        config = alembic_config(self.url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async def dispose(self) -> None:
        await self.engine.dispose()


def is_unavailable(error: BaseException) -> bool:
    """Whether an error means the database cannot be reached right now (down, restarting, overloaded),
    as opposed to a mistake in what was asked of it."""
    if isinstance(error, (OperationalError, InterfaceError, SATimeoutError, OSError, TimeoutError)):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    cause = error.__cause__ or error.__context__
    return cause is not None and cause is not error and is_unavailable(cause)
