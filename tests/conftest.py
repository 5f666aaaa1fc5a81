"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL) and a network guard."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.models import Base
from bot.db.session import Database

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> object:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):  # type: ignore[index]
        raise OSError(f"tests may not reach the network: {address!r}")
    return _real_connect(self, address)


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    if host is not None and not _is_local(host if not isinstance(host, bytes) else host.decode()):
        raise OSError(f"tests may not reach the network: {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    """Any test that tries to reach beyond 127.0.0.1 fails."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.getaddrinfo = _real_getaddrinfo


async def _create_postgres_database(server_url: str) -> str:
    name = f"sourcing_test_{uuid.uuid4().hex[:12]}"
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """One migrated database for the run: its own PostgreSQL database, dropped at the end, or a SQLite file."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        url = await _create_postgres_database(server_url)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    database = Database(url)
    await database.upgrade()
    await database.dispose()
    yield url
    if server_url:
        await _drop_postgres_database(server_url, url)


async def wipe(url: str) -> None:
    database = Database(url)
    async with database.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(delete(table))
    await database.dispose()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The run's database, emptied after each test."""
    database = Database(database_url)
    yield database
    await database.dispose()
    await wipe(database_url)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
