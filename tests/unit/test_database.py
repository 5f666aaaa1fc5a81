from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.models import User, Workspace


async def test_rows_survive_a_new_engine_with_aware_times(database, database_url):
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    async with database.session() as session:
        session.add(User(id=42, first_name="Mei", language="zh_CN", created_at=when))
        session.add(Workspace(chat_id=42, kind="personal", title="Mei"))

    from bot.db.session import Database

    again = Database(database_url)
    async with again.session() as session:
        user = await session.get(User, 42)
        workspace = (await session.execute(select(Workspace))).scalar_one()
    await again.dispose()
    assert user is not None and user.language == "zh_CN"
    assert user.created_at == when and user.created_at.tzinfo is not None
    assert workspace.kind == "personal"


async def test_a_failed_unit_of_work_leaves_nothing(database):
    try:
        async with database.session() as session:
            session.add(User(id=7, first_name="Ana"))
            await session.flush()
            raise RuntimeError("crash in the middle")
    except RuntimeError:
        pass
    async with database.session() as session:
        assert await session.get(User, 7) is None


async def test_migrations_build_exactly_the_models(database):
    """A model change without its migration would leave a real database behind the code."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.db.models import Base

    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with database.engine.connect() as connection:
        assert await connection.run_sync(diff) == []
