"""A local, strict stand-in for api.telegram.org.

Point python-telegram-bot at it with ``base_url=emulator.base_url`` and
``base_file_url=emulator.base_file_url``. It answers with Telegram's envelopes and error
texts, refuses what Telegram refuses, records every call, and lets tests act as users.
"""

import asyncio
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.sandbox import api_rules
from bot.sandbox.api_request import ApiError, read_api_params
from bot.sandbox.bot_api import MAX_DOCUMENT_BYTES, BotApiMethods, Described, Handler
from bot.sandbox.telegram_html import utf16_len
from bot.sandbox.update_feed import UpdateFeed
from bot.sandbox.world import (
    ApiCall,
    ChatMessage,
    ChatRef,
    ChatState,
    JsonDict,
    StoredFile,
    World,
    image_size,
    member_json,
    photo_size_json,
    stable_number,
    tiny_png,
)

INJECTABLE_STATUSES = (429, 500, 502)
# Refusals caused by the bot itself, as opposed to Telegram being unwell or busy.
BOT_FAULT_STATUSES = (400, 401, 404)
_BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_COMMAND_PATTERN = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
_MENTION_PATTERN = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b")

# The rights a ChatMemberRestricted carries (python-telegram-bot requires every one).
_RESTRICTED_RIGHTS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
    "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
    "can_add_web_page_previews", "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics",
    "can_edit_tag", "can_react_to_messages",
)


@dataclass(frozen=True)
class _Fault:
    status: int
    retry_after: int | None


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _ok_response(result: Any, description: str | None = None) -> web.Response:
    body: JsonDict = {"ok": True, "result": result}
    if description:
        body["description"] = description
    return web.json_response(body, dumps=_json_dumps)


def _error_response(
    status: int, description: str, parameters: JsonDict | None = None
) -> web.Response:
    body: JsonDict = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status, dumps=_json_dumps)


class BotApiEmulator:
    """Telegram's Bot API for one bot, served on localhost, with a world of users and chats."""

    def __init__(
        self,
        token: str,
        bot_username: str = "sourcing_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        bot_name: str = "Sourcing Bot",
        strict_rate_limits: bool = False,
        group_privacy: bool = True,
        first_update_id: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token = token
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        # Telegram's default: in groups the bot only sees commands, replies to it and mentions.
        self._group_privacy = group_privacy
        bot_id_text = token.partition(":")[0]
        bot_id = (
            int(bot_id_text)
            if bot_id_text.isdigit()
            else 5_000_000_000 + stable_number(bot_username, 10**8)
        )
        bot_user = {"id": bot_id, "is_bot": True, "first_name": bot_name, "username": bot_username}
        self._world = World(bot_user)
        self._feed = UpdateFeed(first_update_id)
        self._api = BotApiMethods(
            self._world,
            self._feed,
            strict_rate_limits=strict_rate_limits,
            group_privacy=group_privacy,
            clock=clock,
        )
        self._methods = {name.lower(): (name, h) for name, h in self._api.handlers().items()}
        self.calls: list[ApiCall] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, deque[float]] = {}
        self._requests_in_flight = 0
        self._last_request_activity = time.monotonic()
        # Told of every call once it is answered (benchmarks time replies with it).
        self.listeners: list[Callable[[ApiCall], None]] = []

    @property
    def bot_user(self) -> JsonDict:
        return self._world.bot_user

    # Server lifecycle

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_DOCUMENT_BYTES + 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        # Cancelling handlers of disconnected clients ends abandoned long polls at once.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._requested_port).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self._feed.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "BotApiEmulator":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # The world: users, chats and members

    def add_user(
        self, name: str, user_id: int | None = None, language_code: str = "en"
    ) -> JsonDict:
        """A Telegram user with a private chat (which has the user's id); ids derive from
        names, so they are the same on every run."""
        return self._world.add_user(name, user_id, language_code)

    def private_chat(self, user: JsonDict) -> JsonDict:
        return self._world.state(user).chat

    def chat(self, chat: ChatRef) -> JsonDict:
        """The Bot API Chat object."""
        return self._world.state(chat).chat

    def add_group(
        self,
        title: str,
        chat_id: int | None = None,
        *,
        supergroup: bool = True,
        bot_is_admin: bool = False,
        added_by: JsonDict | None = None,
    ) -> JsonDict:
        """A group with the bot in it. With `added_by`, that user creates it and adds the bot,
        and the bot gets the my_chat_member and new_chat_members updates Telegram sends."""
        state = self._world.add_group(title, chat_id, supergroup, bot_is_admin)
        if added_by is not None:
            state.members[added_by["id"]] = "creator"
            self._announce_bot_joined(state, added_by)
        return state.chat

    def add_member(self, chat: ChatRef, user: JsonDict, *, admin: bool = False) -> int | None:
        """Adds a user to a group (the first one becomes its creator); returns the update id
        of the new_chat_members service message."""
        state = self._world.state(chat)
        if state.is_private:
            raise ValueError("private chats have no members to add")
        if not state.members:
            state.members[user["id"]] = "creator"
        else:
            state.members[user["id"]] = "administrator" if admin else "member"
        message = self._store_user_message(state, user, content={"new_chat_members": [user]})
        return self._feed.push("message", self._world.message_json(state, message))

    def remove_bot(self, chat: ChatRef, by: JsonDict) -> int | None:
        """A group admin removes the bot: it gets my_chat_member (kicked) and nothing more from the group."""
        state = self._world.state(chat)
        was = self._world.bot_member_json(state)
        state.bot_removed = True
        return self._bot_status_changed(state, by, was, {"status": "kicked", "user": self.bot_user, "until_date": 0})

    def remove_member(self, chat: ChatRef, user: JsonDict, by: JsonDict) -> int | None:
        """An admin removes someone from the group: Telegram posts a left_chat_member service message, which a
        bot in privacy mode gets too."""
        state = self._world.state(chat)
        state.members.pop(user["id"], None)
        message = self._store_user_message(state, by, content={"left_chat_member": user})
        return self._feed.push("message", self._world.message_json(state, message))

    def restrict_bot(self, chat: ChatRef, by: JsonDict) -> int | None:
        """An admin restricts the bot (it stays a member, with fewer rights)."""
        state = self._world.state(chat)
        restricted = {"status": "restricted", "user": self.bot_user, "is_member": True, "until_date": 0}
        return self._bot_status_changed(state, by, self._world.bot_member_json(state), restricted | dict.fromkeys(_RESTRICTED_RIGHTS, True))

    def _bot_status_changed(self, state: ChatState, by: JsonDict, old: JsonDict, new: JsonDict) -> int | None:
        """The my_chat_member update Telegram sends when the bot's place in a chat changes."""
        change = {"chat": state.chat, "from": by, "date": int(time.time()), "old_chat_member": old, "new_chat_member": new}
        return self._feed.push("my_chat_member", change)

    def add_bot_again(self, chat: ChatRef, by: JsonDict) -> None:
        """Someone adds the removed bot back to the group."""
        state = self._world.state(chat)
        state.bot_removed = False
        self._announce_bot_joined(state, by, was="kicked")

    def migrate_to_supergroup(self, chat: ChatRef) -> JsonDict:
        """The group becomes a supergroup with a new id, as Telegram does when a group grows or changes
        settings: a service message with migrate_to_chat_id in the old chat, one with migrate_from_chat_id in
        the new; the old chat takes no more messages. Returns the new chat."""
        old = self._world.state(chat)
        if old.is_private or old.chat["type"] != "group":
            raise ValueError("only a basic group migrates to a supergroup")
        new = self._world.add_group(old.title, None, True, old.bot_is_admin)
        new.members = dict(old.members)
        old.migrated_to = new.chat_id
        creator = next((uid for uid, status in old.members.items() if status == "creator"), None)
        sender = self._world.users.get(creator) if creator is not None else None
        sender = sender or self.bot_user
        moved = self._store_user_message(old, sender, content={"migrate_to_chat_id": new.chat_id})
        self._feed.push("message", self._world.message_json(old, moved))
        arrived = self._store_user_message(new, sender, content={"migrate_from_chat_id": old.chat_id})
        self._feed.push("message", self._world.message_json(new, arrived))
        # Telegram also tells the bot it is in the new chat, as if just added.
        self._bot_status_changed(new, sender, {"status": "left", "user": self.bot_user}, self._world.bot_member_json(new))
        return new.chat

    def set_member_status(self, chat: ChatRef, user: JsonDict, status: str, by: JsonDict | None = None) -> int | None:
        """A member is promoted, demoted or leaves ("creator", "administrator", "member", "left"). The bot
        hears of it (chat_member) only as an administrator, as on Telegram."""
        state = self._world.state(chat)
        old = state.members.get(user["id"], "left")
        if status == "left":
            state.members.pop(user["id"], None)
        else:
            state.members[user["id"]] = status
        if not state.bot_is_admin:
            return None
        return self._feed.push(
            "chat_member",
            {
                "chat": state.chat,
                "from": by or user,
                "date": int(time.time()),
                "old_chat_member": member_json(user, old),
                "new_chat_member": member_json(user, status),
            },
        )

    def members(self, chat: ChatRef) -> dict[int, str]:
        """User id -> "creator", "administrator" or "member"."""
        return dict(self._world.state(chat).members)

    def _announce_bot_joined(self, state: ChatState, added_by: JsonDict, was: str = "left") -> None:
        old = {"status": was, "user": self.bot_user, **({"until_date": 0} if was == "kicked" else {})}
        self._bot_status_changed(state, added_by, old, self._world.bot_member_json(state))
        message = self._store_user_message(
            state, added_by, content={"new_chat_members": [self.bot_user]}
        )
        self._feed.push("message", self._world.message_json(state, message))

    # Users' actions. Each returns the update id, or None when the bot does not get the
    # update (group privacy, or the bot's allowed_updates).

    def send_text(
        self,
        user: JsonDict,
        chat: ChatRef,
        text: str,
        reply_to_message_id: int | None = None,
        entities: list[JsonDict] | None = None,
    ) -> int | None:
        """The user writes; commands and @mentions get their entities unless given."""
        state = self._writable_state(user, chat)
        message = self._store_user_message(
            state,
            user,
            text=text,
            entities=_auto_entities(text) if entities is None else entities,
            reply_to_message_id=reply_to_message_id,
        )
        return self._deliver_user_message(state, message)

    def send_sticker(self, user: JsonDict, chat: ChatRef, emoji: str = "🙂") -> int | None:
        state = self._writable_state(user, chat)
        sticker_file = self._world.store_file(b"RIFF-sticker", "sticker.webp", "image/webp")
        sticker = {
            "file_id": sticker_file.file_id,
            "file_unique_id": sticker_file.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        message = self._store_user_message(state, user, content={"sticker": sticker})
        return self._deliver_user_message(state, message)

    def send_photo(
        self,
        user: JsonDict,
        chat: ChatRef,
        caption: str | None = None,
        data: bytes | None = None,
    ) -> int | None:
        """The user sends a photo: `data` (PNG, GIF or JPEG), or a tiny grey image."""
        state = self._writable_state(user, chat)
        photo_bytes = tiny_png() if data is None else data
        size = image_size(photo_bytes)
        if size is None:
            raise ValueError("photo data must be a PNG, GIF or JPEG image")
        stored = self._world.store_file(photo_bytes, None, None)
        message = self._store_user_message(
            state, user, caption=caption, content={"photo": [photo_size_json(stored, size)]}
        )
        return self._deliver_user_message(state, message)

    def send_document(
        self, user: JsonDict, chat: ChatRef, data: bytes, file_name: str, mime_type: str = "text/csv"
    ) -> int | None:
        """The user sends a file, like a forwarder's rate table."""
        state = self._writable_state(user, chat)
        stored = self._world.store_file(data, file_name, mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        message = self._store_user_message(state, user, content={"document": document})
        return self._deliver_user_message(state, message)

    def forward_text(self, user: JsonDict, chat: ChatRef, text: str, from_name: str) -> int | None:
        """The user forwards a text from someone outside the bot's world, like a supplier."""
        state = self._writable_state(user, chat)
        origin = {"type": "hidden_user", "sender_user_name": from_name, "date": int(time.time())}
        message = self._store_user_message(
            state,
            user,
            text=text,
            entities=_auto_entities(text),
            content={"forward_origin": origin},
        )
        return self._deliver_user_message(state, message)

    def press_button(
        self, user: JsonDict, chat: ChatRef, message_id: int, callback_data: str
    ) -> int | None:
        """A callback_query update; nothing is checked, so tests can forge any data."""
        state = self._world.state(chat)
        state.last_user_action_seq = self._world.next_seq()
        message = state.find(message_id)
        message_json = (
            self._world.message_json(state, message)
            if message is not None
            else {"chat": state.chat, "message_id": message_id, "date": 0}
        )
        query = {
            "id": self._world.new_callback_query(),
            "from": user,
            "message": message_json,
            "chat_instance": str(stable_number(str(state.chat_id), 10**18)),
            "data": callback_data,
        }
        return self._feed.push("callback_query", query)

    def redeliver(self, update_id: int) -> None:
        """Telegram sends an update again, with the same id (as after a webhook timeout or a lost offset)."""
        self._feed.redeliver(update_id)

    def _writable_state(self, user: JsonDict, chat: ChatRef) -> ChatState:
        state = self._world.state(chat)
        if state.is_private and state.chat_id != user["id"]:
            raise ValueError(f"{user['first_name']} can only write in their own private chat")
        if not state.is_private and user["id"] not in state.members:
            raise ValueError(f"{user['first_name']} is not a member of {state.title}")
        return state

    def _store_user_message(
        self,
        state: ChatState,
        user: JsonDict,
        *,
        text: str | None = None,
        entities: list[JsonDict] | None = None,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
        content: JsonDict | None = None,
    ) -> ChatMessage:
        message = self._world.new_message(state, user)
        message.text = text
        message.entities = entities or []
        message.caption = caption
        message.reply_to_message_id = reply_to_message_id
        message.content = content or {}
        state.last_user_action_seq = message.changed_seq
        if state.is_private:
            state.started = True
        return message

    def _deliver_user_message(self, state: ChatState, message: ChatMessage) -> int | None:
        if state.bot_removed or not self._bot_sees(state, message):
            return None
        return self._feed.push("message", self._world.message_json(state, message))

    def _bot_sees(self, state: ChatState, message: ChatMessage) -> bool:
        if state.is_private or not self._group_privacy or state.bot_is_admin:
            return True
        text = message.text or message.caption or ""
        username = str(self.bot_user["username"]).lower()
        command = _COMMAND_PATTERN.match(text)
        if command is not None:
            addressee = command.group().partition("@")[2].lower()
            return addressee in ("", username)
        replied = state.find(message.reply_to_message_id or 0)
        if replied is not None and replied.from_bot:
            return True
        return f"@{username}" in text.lower()

    # What tests and the sandbox read back

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet (with a later getUpdates offset, or its webhook's answer)."""
        return self._feed.pending_count

    def rejections(self) -> list[ApiCall]:
        """Calls Telegram would have refused because of the bot's own mistake."""
        return [
            call for call in self.calls if call.status in BOT_FAULT_STATUSES and not call.injected
        ]

    def messages(self, chat: ChatRef) -> list[ChatMessage]:
        """The bot's messages in a chat, oldest first, as they are after edits."""
        return [message for message in self.history(chat) if message.from_bot]

    def history(self, chat: ChatRef) -> list[ChatMessage]:
        """Every message in a chat that is not deleted, the users' included."""
        return [message for message in self._world.state(chat).messages if not message.deleted]

    def last_message(self, chat: ChatRef) -> ChatMessage | None:
        messages = self.messages(chat)
        return messages[-1] if messages else None

    def stored_file(self, file_id: str) -> StoredFile:
        return self._world.files[file_id]

    @property
    def webhook_url(self) -> str | None:
        """The webhook the bot has set, or None while it polls."""
        return self._feed.webhook.url if self._feed.webhook is not None else None

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """The bot's commands for a BotCommandScope (default: "default") and language."""
        key = api_rules.scope_key(scope or {"type": "default"})
        return list(self._api.commands.get((key, language_code), []))

    async def wait_for_message(
        self,
        chat: ChatRef,
        predicate: Callable[[ChatMessage], bool] | None = None,
        timeout: float = 5.0,
    ) -> ChatMessage:
        """Waits for a bot message in the chat, sent or edited after the chat's latest user
        action, that satisfies the predicate."""
        state = self._world.state(chat)
        since = state.last_user_action_seq
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for message in self.messages(chat):
                if message.changed_seq > since and (predicate is None or predicate(message)):
                    return message
            if asyncio.get_running_loop().time() >= deadline:
                raise TimeoutError(f"no matching bot message in {state.title} after {timeout}s")
            await asyncio.sleep(0.01)

    async def wait_idle(
        self,
        quiet: float = 0.15,
        timeout: float = 10.0,
        *,
        bot_busy: Callable[[], bool] | None = None,
    ) -> None:
        """Returns once every update has reached the bot and the bot has made no call
        (other than getUpdates) for `quiet` seconds. `bot_busy` lets the caller add what
        only the bot's side can see, such as a handler waiting on a client-side rate limiter."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            busy = bot_busy is not None and bot_busy()
            if busy:
                self._last_request_activity = time.monotonic()
            last_activity = max(self._last_request_activity, self._feed.last_handover)
            if (
                not busy
                and not self._feed.waiting_for_bot
                and self._requests_in_flight == 0
                and time.monotonic() - last_activity >= quiet
            ):
                return
            if loop.time() >= deadline:
                raise TimeoutError(
                    f"the bot did not go idle within {timeout}s "
                    f"({self._feed.pending_count} updates pending, "
                    f"{self._requests_in_flight} requests in flight)"
                )
            await asyncio.sleep(0.002)

    # Faults

    def inject_fault(
        self, method: str, status: int = 429, retry_after: int | None = None, times: int = 1
    ) -> None:
        """The next `times` calls of `method` fail with `status` without taking effect."""
        if status not in INJECTABLE_STATUSES:
            raise ValueError(f"status must be one of {INJECTABLE_STATUSES}")
        if status == 429 and retry_after is None:
            retry_after = 1
        queue = self._faults.setdefault(self._canonical_method(method), deque())
        queue.extend(_Fault(status, retry_after) for _ in range(times))

    def inject_delay(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` are answered `seconds` late."""
        queue = self._delays.setdefault(self._canonical_method(method), deque())
        queue.extend(seconds for _ in range(times))

    def _canonical_method(self, method: str) -> str:
        entry = self._methods.get(method.lower())
        if entry is None:
            raise ValueError(f"the emulator has no method {method!r}")
        return entry[0]

    # HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        if path.startswith("file/bot"):
            return self._serve_file(path.removeprefix("file/bot"))
        token, _, method_name = path.removeprefix("bot").partition("/")
        if not path.startswith("bot") or not method_name:
            return _error_response(404, "Not Found")
        if token != self._token:
            self.calls.append(ApiCall(method_name, {}, time.time(), 401, "Unauthorized"))
            return _error_response(401, "Unauthorized")
        entry = self._methods.get(method_name.lower())
        if entry is None:
            self.calls.append(ApiCall(method_name, {}, time.time(), 404, "Not Found"))
            return _error_response(404, "Not Found")
        name, handler = entry
        if name == "getUpdates":
            return await self._answer(name, handler, request)
        # Telegram carries out a request even when the bot stops waiting for the answer.
        return await asyncio.shield(self._answer_tracked(name, handler, request))

    async def _answer_tracked(
        self, name: str, handler: Handler, request: web.Request
    ) -> web.Response:
        self._requests_in_flight += 1
        self._last_request_activity = time.monotonic()
        try:
            return await self._answer(name, handler, request)
        finally:
            self._requests_in_flight -= 1
            self._last_request_activity = time.monotonic()

    async def _answer(self, name: str, handler: Handler, request: web.Request) -> web.Response:
        call = ApiCall(name, {}, time.time())
        self.calls.append(call)
        try:
            params = await read_api_params(request)
            call.params = params.recorded()
            delay = _take_next(self._delays, name)
            if delay:
                await asyncio.sleep(delay)
            fault = _take_next(self._faults, name)
            if fault is not None:
                call.injected = True
                return _fault_response(call, fault)
            outcome = await handler(params)
        except ApiError as error:
            call.status, call.error = error.status, error.description
            return _error_response(error.status, error.description, error.parameters)
        call.result = outcome.result if isinstance(outcome, Described) else outcome
        for listener in self.listeners:
            listener(call)
        if isinstance(outcome, Described):
            return _ok_response(outcome.result, outcome.description)
        return _ok_response(outcome)

    def _serve_file(self, token_and_path: str) -> web.Response:
        token, _, file_path = token_and_path.partition("/")
        stored = next((f for f in self._world.files.values() if f.file_path == file_path), None)
        if token != self._token or stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )


def _take_next(queues: dict[str, deque[Any]], name: str) -> Any:
    queue = queues.get(name)
    return queue.popleft() if queue else None


def _fault_response(call: ApiCall, fault: _Fault) -> web.Response:
    call.status = fault.status
    if fault.status == 502:
        # Telegram's 502s come from its front proxy, as an HTML page rather than JSON.
        call.error = "Bad Gateway"
        return web.Response(status=502, text=_BAD_GATEWAY_PAGE, content_type="text/html")
    if fault.status == 429:
        call.error = f"Too Many Requests: retry after {fault.retry_after}"
        return _error_response(429, call.error, {"retry_after": fault.retry_after})
    call.error = "Internal Server Error"
    return _error_response(500, call.error)


def _auto_entities(text: str) -> list[JsonDict]:
    """The entities Telegram's apps attach: a leading /command and any @mentions."""
    entities: list[JsonDict] = []
    command = _COMMAND_PATTERN.match(text)
    if command is not None:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in _MENTION_PATTERN.finditer(text):
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: mention.start()]),
                "length": utf16_len(mention.group()),
            }
        )
    return entities
