"""The inbox: every update Telegram hands over is stored once, whichever way it arrives twice."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.db.session import Database
from bot.pipeline.inbox import Inbox

BOT_ID = 42


async def test_the_same_update_twice_in_one_write_is_new_only_once(database: Database):
    inbox = Inbox(database)
    first, again, other = await asyncio.gather(
        inbox.store(BOT_ID, Update(7)), inbox.store(BOT_ID, Update(7)), inbox.store(BOT_ID, Update(8))
    )
    assert (first, again, other) == (True, False, True)
    assert await inbox.store(BOT_ID, Update(7)) is False  # stored before: a redelivery does nothing
    assert [row.update_id for row in await inbox.pending(BOT_ID)] == [7, 8]


async def test_an_update_done_is_not_pending_after_a_restart(database: Database):
    await asyncio.gather(Inbox(database).store(BOT_ID, Update(1)), Inbox(database).store(BOT_ID, Update(2)))
    await Inbox(database).done(BOT_ID, 1)
    assert [row.update_id for row in await Inbox(database).pending(BOT_ID)] == [2]
