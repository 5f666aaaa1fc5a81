"""The one place that escapes, splits, builds keyboards and sends.

Every reply is Telegram HTML. Text we interpolate is escaped by `bot.i18n.Translator` or `escape()` here;
`send()` splits anything longer than Telegram's 4096-character limit on line boundaries, closing and
reopening tags so each part is valid HTML on its own, and puts the keyboard on the last part.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape
from telegram import (
    Bot,
    ForceReply,
    InputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MaybeInaccessibleMessage,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatAction, MessageLimit
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackContext

from bot.pipeline.turn import current_turn

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
CALLBACK_DATA_LIMIT = 64
_TAG_RE = re.compile(r"<(/?)([a-zA-Z-]+)([^>]*)>")
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # a link in a message never unfolds into a preview

__all__ = ["Markup", "escape"]
log = logging.getLogger(__name__)


def utf16_len(text: str) -> int:
    """Telegram counts lengths in UTF-16 code units: characters outside the BMP (emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


def _open_tags(html: str) -> list[tuple[str, str]]:
    """The tags still open at the end of `html`, outermost first, with their attributes."""
    stack: list[tuple[str, str]] = []
    for closing, name, attrs in _TAG_RE.findall(html):
        name = name.lower()
        if closing:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index][0] == name:
                    del stack[index:]
                    break
        else:
            stack.append((name, attrs))
    return stack


def _closers(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _openers(stack: list[tuple[str, str]]) -> str:
    return "".join(f"<{name}{attrs}>" for name, attrs in stack)


def _hard_pieces(line: str, room: int) -> list[str]:
    """Cut one over-long line between tags and entities, preferring spaces."""
    pieces: list[str] = []
    tokens = re.findall(r"<[^>]*>|&[#\w]+;|\s+|[^<&\s]+|.", line)
    current = ""
    for token in tokens:
        while utf16_len(token) > room and not token.startswith(("<", "&")):
            cut = room - utf16_len(current)
            if cut <= 0:
                pieces.append(current)
                current = ""
                cut = room
            head, token = token[:cut], token[cut:]
            while utf16_len(head) > cut:
                head, token = head[:-1], head[-1] + token
            pieces.append(current + head)
            current = ""
        if utf16_len(current + token) > room:
            pieces.append(current)
            current = token.lstrip() if token.isspace() else token
        else:
            current += token
    if current:
        pieces.append(current)
    return pieces


def split_html(html: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split HTML into parts of at most `limit` UTF-16 units, on line boundaries where possible.

    Tags open at a cut are closed at the end of one part and reopened at the start of the next; the raw
    HTML length bounds the visible length, so every part is within Telegram's limit.
    """
    if utf16_len(html) <= limit:
        return [html]
    parts: list[str] = []
    current = ""  # always starts with the tags reopened from the previous part

    def cut() -> None:
        nonlocal current
        still_open = _open_tags(current)
        parts.append(current + _closers(still_open))
        current = _openers(still_open)

    margin = 200  # room for the tags closed and reopened at a cut
    for line in html.split("\n"):
        candidate = line if not current else current + "\n" + line
        if utf16_len(candidate) + utf16_len(_closers(_open_tags(candidate))) <= limit:
            current = candidate
            continue
        if re.sub(r"<[^>]*>", "", current).strip():
            cut()
        room = limit - margin - utf16_len(current)
        if utf16_len(line) <= room:
            current += line
            continue
        for piece in _hard_pieces(line, room):
            current += piece
            cut()
    if re.sub(r"<[^>]*>", "", current).strip():
        parts.append(current + _closers(_open_tags(current)))
    return [part for part in parts if re.sub(r"<[^>]*>", "", part).strip()]


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None


Keyboard = Sequence[Sequence[Button]]


def _check(button: Button) -> None:
    """Callback data must be 1..64 bytes: Telegram refuses anything else."""
    if button.url is None:
        size = len((button.data or "").encode())
        if not 1 <= size <= CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data must be 1..64 bytes, got {size}: {button.data!r}")


def keyboard(rows: Keyboard) -> InlineKeyboardMarkup | None:
    """An inline keyboard of the rows' buttons."""
    built = []
    for row in rows:
        buttons = []
        for button in row:
            _check(button)
            if button.url is not None:
                buttons.append(InlineKeyboardButton(button.label, url=button.url))
            else:
                buttons.append(InlineKeyboardButton(button.label, callback_data=button.data))
        if buttons:
            built.append(buttons)
    return InlineKeyboardMarkup(built) if built else None


def grid(buttons: Sequence[Button], columns: int) -> list[list[Button]]:
    return [list(buttons[i : i + columns]) for i in range(0, len(buttons), columns)]


def _rows(buttons: Keyboard | None) -> tuple[tuple[Button, ...], ...]:
    rows = tuple(tuple(row) for row in buttons or () if row)
    for row in rows:  # a button Telegram would refuse fails here, in the handler that made it
        for button in row:
            _check(button)
    return rows


def _rows_json(rows: tuple[tuple[Button, ...], ...]) -> list[list[dict[str, str]]]:
    return [[{key: value for key, value in vars(button).items() if value is not None} for button in row] for row in rows]


def _rows_from_json(rows: list[list[dict[str, str]]]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(Button(**button) for button in row) for row in rows)


@dataclass(frozen=True)
class SendMessage:
    """An HTML message, split at 4096; the keyboard (or a selective force-reply) goes on the last part."""

    chat_id: int
    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    reply_to: int | None = None
    force_reply: bool = False


@dataclass(frozen=True)
class EditMessage:
    """A bot message's new text and keyboard; sent as a new message when it cannot be edited (too long, too
    old, deleted, or never known: `message_id` None)."""

    chat_id: int
    message_id: int | None
    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class ClearButtons:
    """Take the keyboard off a message whose buttons have done their job."""

    chat_id: int
    message_id: int


@dataclass(frozen=True)
class SendFile:
    """A document (or, `as_photo`, a picture) with a caption; the content is kept base64 so the turn's outbox
    stores it like any other operation."""

    chat_id: int
    filename: str
    content_b64: str
    caption_html: str = ""
    as_photo: bool = False


Operation = SendMessage | EditMessage | ClearButtons | SendFile
_KINDS: dict[str, type[SendMessage] | type[EditMessage] | type[ClearButtons] | type[SendFile]] = {
    "send": SendMessage,
    "edit": EditMessage,
    "clear": ClearButtons,
    "file": SendFile,
}


def operation_to_json(operation: Operation) -> dict[str, object]:
    kind = next(name for name, cls in _KINDS.items() if isinstance(operation, cls))
    fields = dict(vars(operation))
    if "buttons" in fields:
        fields["buttons"] = _rows_json(fields["buttons"])
    return {"op": kind, **fields}


def operation_from_json(data: dict[str, object]) -> Operation:
    fields = {key: value for key, value in data.items() if key != "op"}
    if "buttons" in fields:
        fields["buttons"] = _rows_from_json(fields["buttons"])  # type: ignore[arg-type]
    return _KINDS[str(data["op"])](**fields)  # type: ignore[arg-type]


async def _perform(bot: Bot, operation: Operation) -> None:
    if isinstance(operation, SendFile):
        content = InputFile(base64.b64decode(operation.content_b64), filename=operation.filename)
        caption = split_html(operation.caption_html, CAPTION_LIMIT)[0] if operation.caption_html else None
        if operation.as_photo:
            await bot.send_photo(operation.chat_id, content, caption=caption)
        else:
            await bot.send_document(operation.chat_id, content, caption=caption)
        return
    if isinstance(operation, ClearButtons):
        with contextlib.suppress(BadRequest):
            await bot.edit_message_reply_markup(operation.chat_id, operation.message_id, reply_markup=None)
        return
    if isinstance(operation, EditMessage):
        if await _edited(bot, operation):
            return
        operation = SendMessage(operation.chat_id, operation.html, operation.buttons)
    parts = split_html(operation.html)
    markup: InlineKeyboardMarkup | ForceReply | None = keyboard(operation.buttons)
    if markup is None and operation.force_reply:
        markup = ForceReply(selective=True)
    for index, part in enumerate(parts):
        await bot.send_message(
            operation.chat_id,
            part,
            reply_markup=markup if index == len(parts) - 1 else None,
            reply_parameters=ReplyParameters(operation.reply_to, allow_sending_without_reply=True)
            if operation.reply_to and index == 0
            else None,
            link_preview_options=_NO_PREVIEW,
        )


async def _edited(bot: Bot, operation: EditMessage) -> bool:
    """Whether the message now shows the new text; False when it must come as a new message instead."""
    if operation.message_id is None:
        return False
    parts = split_html(operation.html)
    if len(parts) == 1:
        try:
            await bot.edit_message_text(
                parts[0],
                operation.chat_id,
                operation.message_id,
                reply_markup=keyboard(operation.buttons),
                link_preview_options=_NO_PREVIEW,
            )
            return True
        except BadRequest as error:
            reason = str(error).lower()
            if "not modified" in reason:
                return True
            if "not found" not in reason and "can't be edited" not in reason:
                raise
    with contextlib.suppress(BadRequest):
        await bot.edit_message_reply_markup(operation.chat_id, operation.message_id, reply_markup=None)
    return False


async def deliver(bot: Bot, operations: Sequence[Operation]) -> None:
    """Carry out operations in order. A chat that blocked the bot or was left gets nothing more; Telegram
    refusing one operation (a bug of ours) does not stop the rest. Network failures, after the pace's
    retries, are raised: the caller keeps the operations to deliver later."""
    closed: set[int] = set()
    for operation in operations:
        if operation.chat_id in closed:
            continue
        try:
            await _perform(bot, operation)
        except Forbidden:
            log.info("chat %s does not take messages from the bot any more", operation.chat_id)
            closed.add(operation.chat_id)
        except BadRequest:
            log.exception("Telegram refused %s", type(operation).__name__)


async def _queue_or_deliver(context: CallbackContext, operation: Operation) -> None:
    turn = current_turn.get()
    if turn is not None:
        turn.outbox.append(operation)
    else:
        await deliver(context.bot, [operation])


async def send(
    context: CallbackContext,
    chat_id: int,
    html: str,
    *,
    buttons: Keyboard | None = None,
    reply_to: int | None = None,
    force_reply: bool = False,
) -> None:
    """Send an HTML reply, split at 4096; the keyboard (or a selective force-reply) goes on the last part.

    During an update's turn the reply is queued and goes out once the turn is stored. `force_reply` asks for
    the user's next message in a group: with privacy mode on, a bot only sees messages that reply to it.
    """
    await _queue_or_deliver(context, SendMessage(chat_id, html, _rows(buttons), reply_to, force_reply))


async def send_file(
    context: CallbackContext, chat_id: int, filename: str, content: bytes, caption_html: str = "", *, as_photo: bool = False
) -> None:
    """Send a file (a chart as a picture with `as_photo`); the caption is cut to Telegram's 1024 characters."""
    encoded = base64.b64encode(content).decode("ascii")
    await _queue_or_deliver(context, SendFile(chat_id, filename, encoded, caption_html, as_photo))


async def edit(
    context: CallbackContext,
    message: Message | MaybeInaccessibleMessage | None,
    chat_id: int,
    html: str,
    *,
    buttons: Keyboard | None = None,
) -> None:
    """Replace a bot message's text and keyboard; a new message when it cannot be edited."""
    message_id = message.message_id if isinstance(message, Message) else None
    await _queue_or_deliver(context, EditMessage(chat_id, message_id, html, _rows(buttons)))


async def remove_buttons(context: CallbackContext, message: Message | MaybeInaccessibleMessage | None) -> None:
    """Take the keyboard off a message whose buttons have done their job (too old to edit: left as is)."""
    if isinstance(message, Message) and message.reply_markup is not None:
        await _queue_or_deliver(context, ClearButtons(message.chat_id, message.message_id))


@contextlib.asynccontextmanager
async def typing(context: CallbackContext, chat_id: int, delay: float = 0.4) -> AsyncIterator[None]:
    """Show "typing…" while a slow step runs, only if it takes longer than `delay`."""

    async def keep_typing() -> None:
        await asyncio.sleep(delay)
        while True:
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(4.5)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
