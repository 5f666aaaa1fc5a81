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
from bot.db.session import Database
from bot.handlers import (
    common,
    fallback,
    followups,
    guide,
    inquiries,
    orders,
    quotes,
    replies,
    settings,
    start,
    suppliers,
    team,
    translate,
)
from bot.handlers.flows import Flow
from bot.i18n import N_, Translator, available_languages
from bot.pipeline.conversations import ConversationStore
from bot.pipeline.inbox import Inbox, InboxBot, InboxQueue
from bot.pipeline.pace import Pace, Pacer
from bot.pipeline.processor import UpdatePipeline
from bot.telegram_http import AiohttpRequest
from bot.translation.service import TranslationService

log = logging.getLogger(__name__)
# Conversations are tracked per user and chat, not per message: a button of an older step is checked
# against the stored state by its handler, so python-telegram-bot's per_message advice does not apply.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

# The command menu, the same in private chats and groups: (command, description msgid)
COMMANDS: list[tuple[str, str]] = [
    ("inquiry", N_("Ask a supplier about a product")),
    ("inquiries", N_("Open inquiries and their progress")),
    ("compare", N_("Compare suppliers' quotes, costed to your door")),
    ("rates", N_("Set your own exchange rate")),
    ("orders", N_("Orders and what they need")),
    ("suppliers", N_("Your suppliers")),
    ("supplier", N_("Add a supplier from a 1688 link")),
    ("tr", N_("Translate to or from Chinese")),
    ("search", N_("Chinese keywords and a 1688 search link")),
    ("settings", N_("Destination, currency, forwarder, checklist")),
    ("guide", N_("How buying on 1688 works")),
    ("team", N_("The team and its roles (in a group)")),
    ("workspace", N_("Work for yourself or for a team (in private)")),
    ("invite", N_("A link that lets someone join the team")),
    ("assign", N_("Give an inquiry or order to a teammate")),
    ("move", N_("Bring an inquiry or supplier into a team")),
    ("export", N_("Your data as a spreadsheet")),
    ("audit", N_("Who did what (admins)")),
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


@common.tracked
async def forget_handled_updates(context: BotContext) -> None:
    """Handled update ids are kept a week (long after any redelivery), not for ever."""
    await inbox_queue(context.application).inbox.forget_old()


def inbox_queue(application: Application) -> InboxQueue:
    queue = application.update_queue
    assert isinstance(queue, InboxQueue)
    return queue


def is_busy(application: Application) -> bool:
    """Updates accepted and not finished, pasted messages not answered, or jobs running: work whose replies the
    Bot API has not seen yet."""
    queue = inbox_queue(application)
    return bool(
        queue.unfinished
        or queue.qsize()
        or replies.reply_window(application).busy
        or application.bot_data.get(common.JOBS_RUNNING, 0)
    )


async def post_init(application: Application) -> None:
    services: Services = application.bot_data["services"]
    await services.database.upgrade()
    queue = inbox_queue(application)
    queue.bot = application.bot
    recovered = await queue.recover()
    if recovered:
        log.info("%s updates were stored and not finished when the bot stopped; handling them now", recovered)
    await register_commands(application)
    await queue.inbox.forget_old()
    application.job_queue.run_repeating(forget_handled_updates, interval=DAY, first=DAY, name="forget_updates")  # type: ignore[union-attr]
    followups.start_reminders(application)
    quotes.start_rate_updates(application)
    await replies.read_left_over_batches(application)


async def post_shutdown(application: Application) -> None:
    await application.bot_data["services"].database.dispose()


def build_application(settings: Settings, *, clock: Clock | None = None, pace: Pace | None = None) -> Application:
    """The bot. `clock` and `pace` are the real ones unless a test or a benchmark brings its own."""
    database = Database(settings.database_url)
    clock = clock or Clock()
    queue = InboxQueue(Inbox(database))
    conversations = ConversationStore(database)
    bot = InboxBot(
        settings.telegram_token or "",
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=Pacer(clock, pace),
        # Telegram takes about 30 messages a second from a bot, plus edits and button answers; with 32 connections
        # a few slow responses never make other chats wait for a connection.
        request=AiohttpRequest(connections=32),
        get_updates_request=AiohttpRequest(connections=1),
    )
    bot.attach(queue)
    application = (
        ApplicationBuilder()
        .bot(bot)
        .update_queue(queue)
        .concurrent_updates(UpdatePipeline(database, queue, conversations))
        .context_types(ContextTypes(context=BotContext))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["services"] = Services(
        settings=settings,
        database=database,
        translator=TranslationService.from_settings(settings, database),
        clock=clock,
        conversations=conversations,
        inbox=queue.inbox,
    )
    application.bot_data["errors"] = []
    application.bot_data["busy"] = lambda: is_busy(application)
    application.add_handler(TypeHandler(Update, common.resolve_update_actor), group=-1)
    # One group: the first handler that matches an update handles it, so the fallbacks come last.
    for module in HANDLER_MODULES:
        application.add_handlers(module.handlers())
    application.add_handlers(fallback.handlers())
    application.add_error_handler(fallback.on_error)
    flows = {handler.name: handler for handler in application.handlers[0] if isinstance(handler, Flow)}
    for flow in flows.values():
        flow.attach(conversations, flows)
    return application


# Flows come before the handler that reads pasted supplier text, so a step's answer stays a step's.
HANDLER_MODULES = [suppliers, guide, start, team, inquiries, settings, translate, followups, quotes, orders, replies]
