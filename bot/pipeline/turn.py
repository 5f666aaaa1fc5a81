"""One update's turn: the replies its handlers wrote and the conversations they moved.

While a turn is active (`current_turn`), `bot.telegram_io` queues replies on it instead of sending them; the
pipeline stores the moved conversations and the replies in one transaction, then delivers the replies. A
crash can therefore never leave a reply on screen whose buttons the bot has forgotten.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

ConversationKey = tuple[int, int]  # chat id, user id


@dataclass
class Turn:
    update_id: int
    outbox: list[Any] = field(default_factory=list)  # telegram_io operations, in order
    moved: set[ConversationKey] = field(default_factory=set)
    wrote: bool = False  # a handler changed stored data: the turn is recorded as applied
    kept_open: bool = False  # its work goes on after the turn: whoever finishes it marks the update done
    failed: bool = False

    def fail(self, *apology: Any) -> None:
        """The handler raised: what it had written is not sent, and its conversation moves are not kept."""
        self.failed = True
        self.outbox[:] = apology


current_turn: ContextVar[Turn | None] = ContextVar("current_turn", default=None)


def note_write() -> None:
    turn = current_turn.get()
    if turn is not None:
        turn.wrote = True


def keep_open() -> int | None:
    """The current update's work goes on after its turn (a pasted message waits to be read with the ones after
    it): the update stays open in the inbox, so a restart handles it again, until the caller marks it done.
    Returns the update's id (None outside an update)."""
    turn = current_turn.get()
    if turn is None:
        return None
    turn.kept_open = True
    return turn.update_id
