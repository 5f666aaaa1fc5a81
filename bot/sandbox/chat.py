"""The sandbox's chat: turns typed lines into user actions and the bot's answers into text.

Independent of terminal input and output, so tests can drive it line by line.
"""

import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.api_request import ApiParams
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.render import QUOTE_MARK, format_size, keyboard_lines, labelled, readable_text
from bot.sandbox.world import ApiCall, JsonDict

# Restarts the bot with fresh data; returns what happened, in words.
OnReset = Callable[[], Awaitable[str]]
# Moves the bot's clock forward by some hours; returns what happened, in words.
OnLater = Callable[[float], Awaitable[str]]

DEFAULT_USER_NAME = "You"
DEFAULT_GROUP_TITLE = "Team"
SUPPLIER_NAME = "Supplier"
SNIPPET_LENGTH = 40
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")
_MESSAGE_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
_EDIT_METHODS = frozenset({"editMessageText", "editMessageReplyMarkup"})

SANDBOX_HELP = """\
Sandbox commands (everything else is sent to the bot as a message):
  /as NAME [lang]    act as another user, created on first use (e.g. /as Li Wei zh)
  /group [TITLE]     go to a team group chat (default "Team") and join it;
                     the first to enter creates it and adds the bot
  /private           back to the current user's private chat with the bot
  /reset             wipe the bot's database and restart the bot
  /later HOURS       move the bot's clock forward (to see reminders come due)
  /sticker           send a sticker
  /photo [CAPTION]   send a photo
  /forward TEXT      forward a message written by a supplier (\\n in TEXT starts a new line)
  /reply TEXT        reply to the previous message in this chat (when the bot asks
                     for a reply, your next message answers it without /reply)
  N                  press button N of the latest keyboard in this chat
  \\TEXT              send TEXT as it is (\\2 sends "2", \\/reset sends "/reset")
  /sandbox           show this help
  /quit              leave the sandbox"""


class SandboxChat:
    """A person chatting with the bot through the emulator, as one or more users."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        *,
        on_reset: OnReset | None = None,
        on_later: OnLater | None = None,
        bot_busy: Callable[[], bool] | None = None,
        idle_timeout: float = 10.0,
        quiet: float = 0.15,
    ) -> None:
        self._emulator = emulator
        self._on_reset = on_reset
        self._on_later = on_later
        self._bot_busy = bot_busy
        self._idle_timeout = idle_timeout
        self._quiet = quiet
        self._users: dict[str, JsonDict] = {}
        self._groups: dict[str, JsonDict] = {}
        self.user = self._user_named(DEFAULT_USER_NAME, "en")
        self.chat = emulator.chat(self.user)
        self.transcript: list[str] = []
        self._seen_calls = len(emulator.calls)
        # First lines of messages seen so far, to name them in replies and deletions.
        self._snippets: dict[tuple[int, int], str] = {}
        self._commands: dict[str, Callable[[str], Awaitable[None]]] = {
            "/as": self._switch_user,
            "/group": self._enter_group,
            "/private": self._enter_private_chat,
            "/reset": self._reset,
            "/later": self._later,
            "/sticker": self._send_sticker,
            "/photo": self._send_photo,
            "/forward": self._forward,
            "/reply": self._reply,
            "/sandbox": self._show_help,
        }

    @property
    def prompt(self) -> str:
        who = "you" if self.user["first_name"] == DEFAULT_USER_NAME else self.user["first_name"]
        where = "" if self._in_private_chat else f" @ {self.chat['title']}"
        return f"{who}{where}> "

    @property
    def _in_private_chat(self) -> bool:
        return bool(self.chat["type"] == "private")

    async def send_line(self, line: str) -> list[str]:
        """Performs one typed line, waits for the bot to go quiet, returns the new lines."""
        return await self.send_lines([line])

    async def send_lines(self, lines: list[str]) -> list[str]:
        """Performs several lines at once, as messages forwarded together arrive in Telegram, then waits for the
        bot to go quiet; returns the new lines."""
        first_new = len(self.transcript)
        for line in lines:
            await self._perform(line.strip())
        await self._settle()
        return self.transcript[first_new:]

    def problems(self) -> list[str]:
        """Every call Telegram would have refused, in words."""
        return [describe_rejection(call) for call in self._emulator.rejections()]

    async def _perform(self, line: str) -> None:
        if not line:
            return
        if line.startswith("\\"):
            self._send_text(line[1:], self._force_reply_target())
            return
        command, _, argument = line.partition(" ")
        handler = self._commands.get(command.lower())
        if handler is not None:
            await handler(argument.strip())
        elif not (line.isdigit() and self._press_button(int(line))):
            self._send_text(line, self._force_reply_target())

    async def _settle(self) -> None:
        try:
            await self._emulator.wait_idle(
                quiet=self._quiet, timeout=self._idle_timeout, bot_busy=self._bot_busy
            )
        except TimeoutError:
            self._note("the bot is still busy; later replies show after your next line")
        self._render_new_calls()

    # User actions

    def _send_text(self, text: str, reply_to_message_id: int | None = None) -> None:
        update_id = self._emulator.send_text(self.user, self.chat, text, reply_to_message_id)
        if reply_to_message_id is None:
            label = self._you()
        else:
            replied = self._snippets.get(
                (self.chat["id"], reply_to_message_id), f"message {reply_to_message_id}"
            )
            label = f'{self._you()} (replying to "{replied}")'
        self._add(labelled(label, text))
        self._remember(self.chat["id"], self._latest_message_id(), text)
        self._report_unseen(update_id)

    def _press_button(self, number: int) -> bool:
        keyboard_message = next(
            (m for m in reversed(self._emulator.messages(self.chat)) if m.buttons()), None
        )
        if keyboard_message is None or number < 1 or number > len(keyboard_message.buttons()):
            return False
        button = keyboard_message.buttons()[number - 1]
        if "callback_data" not in button:
            target = f"opens {button['url']}" if "url" in button else "cannot be pressed here"
            self._note(f"button [{number}] {target}; the bot is not told")
            return True
        self._add([f"{self._you()} pressed [{number}] {button['text']}"])
        self._emulator.press_button(
            self.user, self.chat, keyboard_message.message_id, button["callback_data"]
        )
        return True

    async def _send_sticker(self, argument: str) -> None:
        update_id = self._emulator.send_sticker(self.user, self.chat)
        self._add([f"{self._you()} sent a sticker 🙂"])
        self._report_unseen(update_id)

    async def _send_photo(self, caption: str) -> None:
        update_id = self._emulator.send_photo(self.user, self.chat, caption or None)
        self._add(labelled(f"{self._you()} sent a photo", caption))
        self._report_unseen(update_id)

    async def _forward(self, text: str) -> None:
        if not text:
            self._note("usage: /forward TEXT")
            return
        text = text.replace("\\n", "\n")  # a supplier's answer often spans lines: "1. 可以\n2. 不退换"
        update_id = self._emulator.forward_text(self.user, self.chat, text, SUPPLIER_NAME)
        self._add(labelled(f"{self._you()} forwarded from {SUPPLIER_NAME}", text))
        self._remember(self.chat["id"], self._latest_message_id(), text)
        self._report_unseen(update_id)

    async def _reply(self, text: str) -> None:
        if not text:
            self._note("usage: /reply TEXT")
            return
        replyable = [m for m in self._emulator.history(self.chat) if not m.is_service]
        self._send_text(text, replyable[-1].message_id if replyable else None)

    def _force_reply_target(self) -> int | None:
        """Telegram's apps start a reply to the bot's latest message when it asks for one
        (force_reply), so the user's next text answers it."""
        replyable = [m for m in self._emulator.history(self.chat) if not m.is_service]
        latest = replyable[-1] if replyable else None
        if (
            latest is not None
            and latest.from_bot
            and (latest.reply_markup or {}).get("force_reply")
        ):
            return latest.message_id
        return None

    def _latest_message_id(self) -> int:
        return self._emulator.history(self.chat)[-1].message_id

    def _report_unseen(self, update_id: int | None) -> None:
        if update_id is not None:
            return
        if self._in_private_chat:
            self._note("the bot does not receive this kind of update (see its allowed_updates)")
        else:
            self._note(
                "the bot does not see this message: in groups it only gets commands, "
                "replies to its messages and @mentions"
            )

    # Sandbox commands

    async def _switch_user(self, argument: str) -> None:
        words = argument.split()
        if not words:
            self._note("usage: /as NAME [lang]")
            return
        language = words.pop() if len(words) > 1 and _LANGUAGE_CODE.fullmatch(words[-1]) else None
        self.user = self._user_named(" ".join(words), language)
        if self._in_private_chat:
            self.chat = self._emulator.chat(self.user)
        else:
            self._join(self.chat)
        self._note(f"you are now {self.user['first_name']} ({self.user['language_code']})")

    def _user_named(self, name: str, language: str | None) -> JsonDict:
        user = self._users.get(name.lower())
        if user is None:
            user = self._emulator.add_user(name, language_code=language or "en")
            self._users[name.lower()] = user
        elif language is not None:
            # Telegram reports the language the user's app is currently set to.
            user["language_code"] = language
        return user

    async def _enter_group(self, argument: str) -> None:
        title = argument or DEFAULT_GROUP_TITLE
        group = self._groups.get(title.lower())
        if group is None:
            group = self._emulator.add_group(title, added_by=self.user)
            self._groups[title.lower()] = group
            self.chat = group
            self._note(f'{self.user["first_name"]} created the group "{title}" and added the bot')
        else:
            self.chat = group
            self._join(group)
            self._note(f'you are in the group "{group["title"]}"')

    def _join(self, group: JsonDict) -> None:
        if self.user["id"] not in self._emulator.members(group):
            self._emulator.add_member(group, self.user)
            self._note(f'{self.user["first_name"]} joined "{group["title"]}"')

    async def _enter_private_chat(self, argument: str) -> None:
        self.chat = self._emulator.chat(self.user)
        self._note(f"you are in {self.user['first_name']}'s private chat with the bot")

    async def _reset(self, argument: str) -> None:
        if self._on_reset is None:
            self._note("/reset is not available here")
            return
        self._note(await self._on_reset())

    async def _later(self, argument: str) -> None:
        try:
            hours = float(argument.lower().removesuffix("h").strip())
        except ValueError:
            hours = 0.0
        if self._on_later is None or not 0 < hours <= 24 * 365:
            self._note("/later takes a number of hours, e.g. /later 25")
            return
        self._note(await self._on_later(hours))

    async def _show_help(self, argument: str) -> None:
        self._add(SANDBOX_HELP.split("\n"))

    # Rendering the bot's side

    def _render_new_calls(self) -> None:
        calls = self._emulator.calls[self._seen_calls :]
        self._seen_calls += len(calls)
        rejected = {id(call) for call in self._emulator.rejections()}
        for call in calls:
            if id(call) in rejected:
                self._add([f"Problem: {describe_rejection(call)}"])
            elif call.ok:
                self._add(self._render_call(call))

    def _render_call(self, call: ApiCall) -> list[str]:
        if call.method in _MESSAGE_METHODS:
            return self._render_bot_message(call.result, "Bot", call.params)
        if call.method in _EDIT_METHODS:
            return self._render_bot_message(call.result, "Bot (edited)", call.params)
        if call.method == "deleteMessage":
            params = ApiParams(call.params)
            chat_id, message_id = params.integer("chat_id") or 0, params.integer("message_id") or 0
            snippet = self._snippets.get((chat_id, message_id), f"message {message_id}")
            return [f"{self._chat_tag(chat_id)}Bot (deleted): {snippet}"]
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            kind = "alert" if ApiParams(call.params).boolean("show_alert") else "notice"
            return [f"Bot ({kind}): {call.params['text']}"]
        return []

    def _render_bot_message(
        self, message: JsonDict, label: str, params: dict[str, Any]
    ) -> list[str]:
        chat_id = int(message["chat"]["id"])
        tag = self._chat_tag(chat_id)
        text = readable_text(message.get("text", ""), message.get("entities", []))
        caption = readable_text(message.get("caption", ""), message.get("caption_entities", []))
        if "document" in message:
            document = message["document"]
            name = document.get("file_name", "file")
            summary = f"{name} ({format_size(document.get('file_size', 0))})"
            lines = labelled(
                f"{tag}{label} sent a document", "\n".join(filter(None, [summary, caption]))
            )
            snippet = f"a document: {name}"
        elif "photo" in message:
            size = format_size(message["photo"][-1].get("file_size", 0))
            lines = labelled(f"{tag}{label} sent a photo ({size})", caption)
            snippet = "a photo"
        else:
            lines = labelled(f"{tag}{label}", text)
            snippet = text
        self._remember(chat_id, int(message["message_id"]), snippet)
        indent = " " * (len(tag) + len("Bot: "))
        keyboard = message.get("reply_markup", {}).get("inline_keyboard", [])
        lines += [indent + line for line in keyboard_lines(keyboard)]
        lines += [indent + line for line in _reply_keyboard_lines(params)]
        return lines

    def _chat_tag(self, chat_id: int) -> str:
        if chat_id == self.chat["id"] and self._in_private_chat:
            return ""
        chat = self._emulator.chat(chat_id)
        return f"[{chat.get('title') or chat.get('first_name')}] "

    def _you(self) -> str:
        name = self.user["first_name"]
        you = "You" if name == DEFAULT_USER_NAME else f"You ({name})"
        return f"{self._chat_tag(self.chat['id'])}{you}"

    def _remember(self, chat_id: int, message_id: int, text: str) -> None:
        first_line = text.split("\n", 1)[0].removeprefix(QUOTE_MARK)
        if len(first_line) > SNIPPET_LENGTH:
            first_line = first_line[: SNIPPET_LENGTH - 1] + "…"
        self._snippets[(chat_id, message_id)] = first_line

    def _note(self, text: str) -> None:
        self._add([f"Sandbox: {text}"])

    def _add(self, lines: list[str]) -> None:
        self.transcript.extend(lines)


def _reply_keyboard_lines(params: dict[str, Any]) -> list[str]:
    """A custom reply keyboard, shown as the texts the user can type."""
    markup = ApiParams(params).json_value("reply_markup", "reply keyboard markup")
    if not isinstance(markup, dict) or "keyboard" not in markup:
        return []
    rows = []
    for row in markup["keyboard"]:
        texts = [button["text"] if isinstance(button, dict) else str(button) for button in row]
        rows.append("(keyboard) " + "  ".join(f"[{text}]" for text in texts))
    return rows


def describe_rejection(call: ApiCall) -> str:
    """A refused call in words, with the start of the text it tried to send."""
    sent = call.params.get("text") or call.params.get("caption")
    detail = ""
    if isinstance(sent, str):
        shown = sent if len(sent) <= 60 else sent[:59] + "…"
        detail = f" (sent: {shown!r})"
    return f"{call.method} was refused: {call.error}{detail}"
