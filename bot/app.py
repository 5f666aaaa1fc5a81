"""Builds the Application: handlers, persistence, rate limiter, error handler, jobs, command menus."""

from __future__ import annotations

import logging
import warnings

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.warnings import PTBUserWarning

from bot.clock import Clock
from bot.config import Settings
from bot.context import BotContext, Services
from bot.db.persistence import DatabasePersistence
from bot.db.session import Database
from bot.handlers import (
    common,
    fallback,
    followups,
    guide,
    inquiries,
    replies,
    settings,
    start,
    suppliers,
    translate,
)
from bot.i18n import N_, Translator, available_languages
from bot.services.accounts import forget_old_updates
from bot.telegram_io import ChatRateLimiter
from bot.translation.service import TranslationService

log = logging.getLogger(__name__)
# Conversations are tracked per user and chat, not per message: a button of an older step is checked
# against the stored state by its handler, so python-telegram-bot's per_message advice does not apply.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

# The command menu, the same in private chats and groups: (command, description msgid)
COMMANDS: list[tuple[str, str]] = [
    ("inquiry", N_("Ask a supplier about a product")),
    ("inquiries", N_("Open inquiries and their progress")),
    ("suppliers", N_("Your suppliers")),
    ("supplier", N_("Add a supplier from a 1688 link")),
    ("tr", N_("Translate to or from Chinese")),
    ("search", N_("Chinese keywords and a 1688 search link")),
    ("settings", N_("Destination, currency, forwarder, checklist")),
    ("guide", N_("How buying on 1688 works")),
    ("language", N_("Choose my language")),
    ("help", N_("What I can do")),
    ("cancel", N_("Stop what we are doing")),
]


async def register_commands(application: Application) -> None:
    """The command menu for private chats and for groups, in every UI language."""
    for language in available_languages():
        _ = Translator(language)
        commands = [BotCommand(name, _(description)) for name, description in COMMANDS]
        code = None if language == "en" else language.split("_")[0]
        for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
            await application.bot.set_my_commands(commands, scope=scope, language_code=code)


DAY = 24 * 3600


async def forget_handled_updates(context: BotContext) -> None:
    """Handled update ids are kept a week (long after any redelivery), not for ever."""
    await forget_old_updates(context.db)


async def post_init(application: Application) -> None:
    services: Services = application.bot_data["services"]
    await services.database.upgrade()
    await register_commands(application)
    await forget_old_updates(services.database)
    application.job_queue.run_repeating(forget_handled_updates, interval=DAY, first=DAY, name="forget_updates")  # type: ignore[union-attr]
    followups.start_reminders(application)
    await replies.read_left_over_batches(application)


async def post_shutdown(application: Application) -> None:
    await application.bot_data["services"].database.dispose()


def build_application(settings: Settings) -> Application:
    database = Database(settings.database_url)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token or "")
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(ChatRateLimiter())
        .persistence(DatabasePersistence(database))
        .context_types(ContextTypes(context=BotContext))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["services"] = Services(
        settings=settings,
        database=database,
        translator=TranslationService.from_settings(settings, database),
        clock=Clock(),
    )
    application.bot_data["errors"] = []
    application.add_handler(TypeHandler(Update, common.resolve_update_actor), group=-1)
    # One group: the first handler that matches an update handles it, so the fallbacks come last.
    for flow in FLOWS:
        application.add_handlers(flow.handlers())
    application.add_handlers(fallback.handlers())
    application.add_error_handler(fallback.on_error)
    return application


# Conversations come before the handlers that read pasted supplier text, so a step's answer stays a step's.
FLOWS = [suppliers, guide, start, inquiries, settings, translate, followups, replies]
