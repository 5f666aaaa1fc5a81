"""Quotes: /compare (suppliers of one product side by side, costed to the door) and /rates (exchange rates)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.inquiries import product_key
from bot.domain.quotes import Ranking
from bot.domain.shipping import RateFileError
from bot.handlers.common import no_longer_valid, notify_team, reply, tracked
from bot.i18n import N_
from bot.services import inquiries as inquiry_service
from bot.services import quotes as service
from bot.services.exchange_rates import refresh_from_ecb, set_import_rate, set_shipping_rates, set_team_rate
from bot.telegram_io import Button, grid, send_file, typing
from bot.views import quote_exports as exports
from bot.views import quotes as views

_RATE = re.compile(r"^\s*([A-Za-z]{3})\s+(\d{1,9}(?:[.,]\d{1,8})?)\s*$")
_IMPORT_RATE = re.compile(r"^\s*(duty|tax)\s+([A-Za-z]{2})\s+(\d{1,3}(?:[.,]\d{1,4})?)\s*%?\s*$", re.IGNORECASE)
MAX_RATE_FILE_BYTES = 256 * 1024


async def compare_command(update: Update, context: BotContext) -> None:
    """The products with quotes; one of them is compared at once."""
    found = await inquiry_service.open_inquiries(context.db, context.me)
    sent = [summary.inquiry for summary in found.summaries if summary.inquiry.sent_at is not None]
    products: dict[str, int] = {}
    for inquiry in sent:
        products.setdefault(product_key(inquiry.product), inquiry.id)
    if not products:
        await reply(update, context, context._("Nothing to compare yet: send an inquiry first (/inquiry)."))
        return
    if len(products) == 1:
        await _show(update, context, next(iter(products.values())), Ranking.COST)
        return
    names = {inquiry.id: inquiry.product or "—" for inquiry in sent}
    buttons = grid([Button(names[inquiry_id][:40], f"cmp:{inquiry_id}:cost") for inquiry_id in products.values()], 1)
    await reply(update, context, context._("Which product's quotes?"), buttons)


async def accept_button(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"cmp:ok:(\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    chosen = await service.accept_quote(context.db, context.me, int(match.group(1)), now=context.services.clock.now()) if match else None
    if chosen is None:
        await no_longer_valid(update, context)
        return
    await _show(update, context, chosen.id, Ranking.COST, context._("Chosen."))
    await notify_team(context, N_("✅ {name} accepted a quote for {product}."), name=update.effective_user.first_name, product=chosen.product or "—")  # type: ignore[union-attr]


async def export_button(update: Update, context: BotContext) -> None:
    """The comparison as a chart, a spreadsheet or a CSV file."""
    match = re.fullmatch(r"cmp:f:(\d{1,12}):(png|xlsx|csv)", update.callback_query.data or "")  # type: ignore[union-attr]
    found = (
        await service.compare(context.db, context.me, int(match.group(1)), Ranking.COST, now=context.services.clock.now())
        if match
        else None
    )
    if found is None or match is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    _ = context._
    kind = match.group(2)
    name = re.sub(r"[^A-Za-z0-9]+", "-", found.product).strip("-")[:40] or "quotes"
    caption = _("Quotes for {product}, landed in {currency}", product=found.product, currency=found.currency)
    if kind == "png":
        await send_file(context, context.me.chat_id, f"{name}.png", exports.chart_png(_, found), caption, as_photo=True)
    elif kind == "xlsx":
        await send_file(context, context.me.chat_id, f"{name}.xlsx", exports.as_xlsx(_, found), caption)
    else:
        await send_file(context, context.me.chat_id, f"{name}.csv", exports.as_csv(_, found), caption)


async def compare_button(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"cmp:(\d{1,12}):(cost|arrival|trust)", update.callback_query.data or "")  # type: ignore[union-attr]
    if match is None:
        await no_longer_valid(update, context)
        return
    await _show(update, context, int(match.group(1)), Ranking(match.group(2)))


async def _show(update: Update, context: BotContext, inquiry_id: int, ranking: Ranking, notice: str | None = None) -> None:
    """The comparison from a button: the press answered once, with `notice`, or refused when the inquiry
    isn't this workspace's."""
    async with typing(context, context.me.chat_id):
        found = await service.compare(context.db, context.me, inquiry_id, ranking, now=context.services.clock.now())
    query = update.callback_query
    if found is None and query is not None:
        await no_longer_valid(update, context)
        return
    if query is not None:
        await query.answer(notice)
    if found is not None:
        await reply(update, context, *views.comparison(context._, found))


async def rates_command(update: Update, context: BotContext) -> None:
    """/rates CNY 0.1850: one yuan is 0.1850 of the team's currency, used instead of the bank's rate.
    /rates duty AU 5, /rates tax AU 10: the team's duty and import tax for a destination, in percent."""
    _ = context._
    argument = " ".join(context.args or [])
    imported = _IMPORT_RATE.match(argument)
    if imported:
        kind, destination, pct = imported.group(1).lower(), imported.group(2).upper(), Decimal(imported.group(3).replace(",", "."))
        if not await set_import_rate(context.db, context.me, kind, destination, pct):
            await reply(update, context, _("Only the team's admins can set its rates."))
            return
        label = _("Duty") if kind == "duty" else _("Tax")
        await reply(update, context, _("Noted: {what} to {destination} is {pct}%.", what=label, destination=destination, pct=str(pct)))
        return
    match = _RATE.match(argument)
    if match is None:
        await reply(
            update,
            context,
            _(
                "Set your own exchange rate like this: <code>/rates CNY 0.1850</code> (one yuan in your currency); "
                "duty and import tax per destination like <code>/rates duty AU 5</code> and <code>/rates tax AU 10</code>; "
                "and send your forwarder's rates as a CSV file to replace the example ones."
            ),
        )
        return
    try:
        rate = Decimal(match.group(2).replace(",", "."))
    except InvalidOperation:
        rate = Decimal(0)
    if rate <= 0:
        await reply(update, context, _("The rate must be a number above 0, like 0.1850."))
        return
    other = match.group(1).upper()
    currency = await set_team_rate(context.db, context.me, other, rate, now=context.services.clock.now())
    if currency is None:
        await reply(update, context, _("Only the team's admins can set its rates, once it has a currency (/settings)."))
        return
    await reply(update, context, _("Noted: 1 {other} = {rate} {currency}. Quotes use it from now on.", other=other, rate=str(rate), currency=currency))


async def rate_file(update: Update, context: BotContext) -> None:
    """A CSV of the forwarder's shipping rates: checked, then the team's quotes use it."""
    _ = context._
    document = update.effective_message.document  # type: ignore[union-attr]
    if document is None or (document.file_size or 0) > MAX_RATE_FILE_BYTES:
        await reply(update, context, _("That file is too big for a rate table (at most 256 KB)."))
        return
    data = await (await document.get_file()).download_as_bytearray()
    try:
        count = await set_shipping_rates(context.db, context.me, bytes(data).decode("utf-8-sig"))
    except UnicodeDecodeError:
        await reply(update, context, _("I could not read that file: save it as CSV in UTF-8 and send it again."))
        return
    except RateFileError as error:
        await reply(update, context, _("That rate table has a problem in row {row}, column {column}: {problem}. Nothing changed.",
                                       row=error.row, column=error.column, problem=error.problem))  # fmt: skip
        return
    if count is None:
        await reply(update, context, _("Only the team's admins can set its rates."))
        return
    await reply(update, context, _("Your forwarder's {count} rates now replace the example ones in every quote.", count=count))


RATE_UPDATE_SECONDS = 6 * 3600  # the bank publishes once a working day


@tracked
async def update_rates(context: BotContext) -> None:
    settings = context.services.settings
    if settings.ecb_rates_url:
        await refresh_from_ecb(context.db, settings.ecb_rates_url, now=context.services.clock.now())


def start_rate_updates(application: Application) -> None:
    """The central bank's rates, fetched soon after start and then a few times a day (when a URL is set)."""
    if application.bot_data["services"].settings.ecb_rates_url:
        application.job_queue.run_repeating(update_rates, interval=RATE_UPDATE_SECONDS, first=5, name="exchange_rates")  # type: ignore[union-attr]


def handlers() -> list:
    return [
        CommandHandler("compare", compare_command),
        CommandHandler("rates", rates_command),
        MessageHandler(filters.Document.FileExtension("csv"), rate_file),
        CallbackQueryHandler(accept_button, pattern=r"^cmp:ok:"),
        CallbackQueryHandler(export_button, pattern=r"^cmp:f:"),
        CallbackQueryHandler(compare_button, pattern=r"^cmp:\d"),
    ]
