"""The one place that escapes, splits, builds keyboards and sends.

Every reply is Telegram HTML. Text we interpolate is escaped by `bot.i18n.Translator` or `escape()` here;
`send()` splits anything longer than Telegram's 4096-character limit on line boundaries, closing and
reopening tags so each part is valid HTML on its own, and puts the keyboard on the last part.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from aiolimiter import AsyncLimiter
from markupsafe import Markup, escape
from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MaybeInaccessibleMessage,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatAction, MessageLimit
from telegram.error import BadRequest, TelegramError
from telegram.ext import AIORateLimiter, CallbackContext

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
CALLBACK_DATA_LIMIT = 64
_TAG_RE = re.compile(r"<(/?)([a-zA-Z-]+)([^>]*)>")

__all__ = ["Markup", "escape"]


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


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """An inline keyboard; callback data must be 1..64 bytes (Telegram refuses anything else)."""
    built = []
    for row in rows:
        buttons = []
        for button in row:
            if button.url is not None:
                buttons.append(InlineKeyboardButton(button.label, url=button.url))
                continue
            size = len((button.data or "").encode())
            if not 1 <= size <= CALLBACK_DATA_LIMIT:
                raise ValueError(f"callback data must be 1..64 bytes, got {size}: {button.data!r}")
            buttons.append(InlineKeyboardButton(button.label, callback_data=button.data))
        if buttons:
            built.append(buttons)
    return InlineKeyboardMarkup(built) if built else None


def grid(buttons: Sequence[Button], columns: int) -> list[list[Button]]:
    return [list(buttons[i : i + columns]) for i in range(0, len(buttons), columns)]


async def send(
    context: CallbackContext,
    chat_id: int,
    html: str,
    *,
    buttons: Sequence[Sequence[Button]] | None = None,
    reply_to: int | None = None,
    force_reply: bool = False,
) -> Message:
    """Send an HTML reply, split at 4096; the keyboard (or a selective force-reply) goes on the last part.

    `force_reply` asks for the user's next message in a group: with privacy mode on, a bot only sees
    messages that reply to it.
    """
    parts = split_html(html)
    markup: InlineKeyboardMarkup | ForceReply | None = keyboard(buttons) if buttons else None
    if markup is None and force_reply:
        markup = ForceReply(selective=True)
    message: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        message = await context.bot.send_message(
            chat_id,
            part,
            reply_markup=markup if last else None,
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to and index == 0
            else None,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
    assert message is not None
    return message


async def edit(
    context: CallbackContext, message: Message | MaybeInaccessibleMessage | None, chat_id: int, html: str, *, buttons=None
) -> None:
    """Replace a bot message's text and keyboard; sends a new message when it cannot be edited (too long,
    too old, deleted)."""
    parts = split_html(html)
    if isinstance(message, Message) and len(parts) == 1:
        try:
            await message.edit_text(
                parts[0],
                reply_markup=keyboard(buttons) if buttons else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
            return
        except BadRequest as error:
            reason = str(error).lower()
            if "not modified" in reason:
                return
            if "not found" not in reason and "can't be edited" not in reason:
                raise
    elif isinstance(message, Message):
        with contextlib.suppress(TelegramError):
            await message.edit_reply_markup(reply_markup=None)
    await send(context, chat_id, html, buttons=buttons)


async def remove_buttons(message: Message | MaybeInaccessibleMessage | None) -> None:
    """Take the keyboard off a message whose buttons have done their job (too old to edit: left as is)."""
    if isinstance(message, Message) and message.reply_markup is not None:
        with contextlib.suppress(BadRequest):
            await message.edit_reply_markup(reply_markup=None)


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


_PACED_PREFIXES = ("send", "edit", "copy", "forward")


class ChatRateLimiter(AIORateLimiter):
    """python-telegram-bot's limiter (overall and group limits, 429s waited out and retried) plus about one
    message a second in every chat, private chats included, with a burst of two."""

    def __init__(self) -> None:
        super().__init__(max_retries=3)
        self._chat_limiters: dict[int | str, AsyncLimiter] = {}

    def _chat_limiter(self, chat_id: int | str) -> AsyncLimiter:
        if len(self._chat_limiters) > 1024:
            self._chat_limiters = {k: v for k, v in self._chat_limiters.items() if not v.has_capacity(2)}
        return self._chat_limiters.setdefault(chat_id, AsyncLimiter(2, 2))

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # type: ignore[no-untyped-def]
        chat_id = data.get("chat_id")
        if chat_id is None or endpoint == "sendChatAction" or not endpoint.startswith(_PACED_PREFIXES):
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        async with self._chat_limiter(chat_id):
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
