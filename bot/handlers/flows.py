"""Flows: python-telegram-bot ConversationHandlers that share one store of positions, so a person is in one
flow at a time in a chat.

Starting a flow (its command or its button) ends the one in progress the way /cancel does: what was entered
is kept, and the person is told in one line. Typed text goes to the flow the person is in, and nowhere else:
a step that wants a button answers typing with a reminder to use the buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.handlers.common import TYPED_TEXT, need_text_fallback, reply
from bot.pipeline.conversations import ConversationStore


async def use_the_buttons(update: Update, context: BotContext) -> None:
    await reply(update, context, context._("Please use the buttons above, or /cancel to stop."))


class Flow(ConversationHandler[BotContext]):
    """A conversation whose position lives in the `ConversationStore` (see `attach`), kept per person and chat.

    `stopped` is the line a person reads when starting another flow ends this one.
    """

    def __init__(
        self,
        name: str,
        *,
        entry_points: list[BaseHandler[Update, BotContext, Any]],
        states: dict[object, list[BaseHandler[Update, BotContext, Any]]],
        fallbacks: list[BaseHandler[Update, BotContext, Any]],
        stopped: str,
    ) -> None:
        super().__init__(
            entry_points=entry_points,
            states=states,
            fallbacks=[*fallbacks, MessageHandler(TYPED_TEXT, use_the_buttons)],
            name=name,
            allow_reentry=True,
        )
        self.stopped = stopped
        self.store: ConversationStore | None = None

    def attach(self, store: ConversationStore, flows: dict[str, Flow]) -> None:
        """Keep positions in `store`; `flows` names every flow, for the line said when one ends another."""
        self.store = store
        self.flows = flows
        self._conversations = store.view(self.name)  # type: ignore[assignment]

    async def handle_update(  # type: ignore[override]
        self,
        update: Update,
        application: Application[Any, BotContext, Any, Any, Any, Any],
        check_result: Any,
        context: BotContext,
    ) -> object | None:
        state, key, handler, _check = check_result
        assert self.store is not None, "attach() the flow to the conversation store first"
        current = self.store.cached(key)
        if state is None and handler in self.entry_points and current is not None and current.flow:
            interrupted = self.flows.get(current.flow)
            self.store.move(key, None, None)
            if interrupted is not None:
                await reply(update, context, context._(interrupted.stopped))
        return await super().handle_update(update, application, check_result, context)


TYPED_ANSWER = 0


def typed_answer_step(name: str, entry_points: list, on_text: Callable, on_cancel: Callable, *, stopped: str) -> Flow:
    """A button that asks for one typed answer: the button enters, the answer (or /cancel) leaves."""
    from bot.handlers.start import help_command  # start's replies come from common, like this module's

    return Flow(
        name,
        entry_points=entry_points,
        states={TYPED_ANSWER: [MessageHandler(TYPED_TEXT, on_text)]},
        fallbacks=[CommandHandler("cancel", on_cancel), CommandHandler("help", help_command), need_text_fallback()],
        stopped=stopped,
    )
