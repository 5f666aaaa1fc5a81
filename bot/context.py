"""The per-update context: who acts, in which workspace and language, and the bot's services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.db.session import Database
from bot.i18n import Translator
from bot.pipeline.conversations import ConversationStore
from bot.pipeline.inbox import Inbox
from bot.services.accounts import Actor

if TYPE_CHECKING:
    from bot.translation.service import TranslationService


@dataclass
class Services:
    settings: Settings
    database: Database
    translator: TranslationService
    clock: Clock
    conversations: ConversationStore
    inbox: Inbox


class BotContext(CallbackContext[ExtBot[None], dict[str, Any], dict[str, Any], dict[str, Any]]):
    """`actor` and `_` are set once per update by the first handler group (see handlers/common.py)."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.actor: Actor | None = None
        self._: Translator = Translator(application.bot_data["services"].settings.default_language)

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    @property
    def db(self) -> Database:
        return self.services.database

    @property
    def me(self) -> Actor:
        assert self.actor is not None, "the actor is resolved before any handler runs"
        return self.actor
