"""What the emulated Telegram knows: users, chats, their messages, files and the call log."""

import itertools
import re
import struct
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]
# A chat given as its id or as its Bot API Chat object (a user object means their private chat).
ChatRef = int | JsonDict

_USERNAME_UNSAFE = re.compile(r"[^a-z0-9_]+")


def stable_number(name: str, modulus: int) -> int:
    """A number derived from a name, the same on every run."""
    return zlib.crc32(name.encode("utf-8")) % modulus


def username_for(name: str) -> str:
    slug = _USERNAME_UNSAFE.sub("_", name.lower()).strip("_") or "user"
    return slug if len(slug) >= 5 else f"{slug}_tg"


@dataclass
class MessageVersion:
    """A message's content before one of its edits."""

    text: str | None
    entities: list[JsonDict]
    source_text: str | None
    reply_markup: JsonDict | None
    replaced_at: float


@dataclass
class ChatMessage:
    """A message in a chat, from the bot or from a user, as it currently is."""

    chat_id: int
    message_id: int
    sender: JsonDict
    date: int
    text: str | None = None
    entities: list[JsonDict] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JsonDict] = field(default_factory=list)
    # The text exactly as the bot sent it (its HTML), before Telegram parsed it.
    source_text: str | None = None
    reply_markup: JsonDict | None = None
    reply_to_message_id: int | None = None
    # Other Message fields: document, photo, sticker, forward_origin, new_chat_members, ...
    content: JsonDict = field(default_factory=dict)
    edit_date: int | None = None
    earlier_versions: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    # Position in the emulator's event order, raised on every send and edit.
    changed_seq: int = 0

    @property
    def from_bot(self) -> bool:
        return bool(self.sender.get("is_bot"))

    @property
    def is_service(self) -> bool:
        """A service message, like "Alice joined the group", which cannot be replied to."""
        return "new_chat_members" in self.content

    @property
    def inline_keyboard(self) -> list[list[JsonDict]]:
        if not self.reply_markup:
            return []
        return list(self.reply_markup.get("inline_keyboard", []))

    def buttons(self) -> list[JsonDict]:
        """The inline keyboard's buttons, row by row, left to right."""
        return [button for row in self.inline_keyboard for button in row]

    def snapshot(self, replaced_at: float) -> MessageVersion:
        return MessageVersion(
            self.text, list(self.entities), self.source_text, self.reply_markup, replaced_at
        )


@dataclass
class ChatState:
    """A chat as the emulator keeps it; `chat` is the Bot API Chat object."""

    chat: JsonDict
    messages: list[ChatMessage] = field(default_factory=list)
    last_message_id: int = 0
    # Private chats: the user has written to the bot, so the bot may write to them.
    started: bool = False
    # Groups: user id -> "creator", "administrator" or "member".
    members: dict[int, str] = field(default_factory=dict)
    bot_is_admin: bool = False
    # Groups: the bot was removed (it can't send here, and gets nothing from here).
    bot_removed: bool = False
    # A group upgraded to a supergroup: the new chat's id (the old chat takes no more messages).
    migrated_to: int | None = None
    # Emulator event sequence number of the latest thing a user did in this chat.
    last_user_action_seq: int = 0

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def is_private(self) -> bool:
        return bool(self.chat["type"] == "private")

    @property
    def title(self) -> str:
        return str(self.chat.get("title") or self.chat.get("first_name"))

    def find(self, message_id: int) -> ChatMessage | None:
        for message in self.messages:
            if message.message_id == message_id and not message.deleted:
                return message
        return None


@dataclass(frozen=True)
class StoredFile:
    """A file Telegram holds: uploaded bytes, or a URL it was given."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    url: str | None = None

    @property
    def file_path(self) -> str:
        return f"files/{self.file_unique_id}"


@dataclass
class ApiCall:
    """One request the bot made, with how the emulator answered it."""

    method: str
    params: JsonDict
    time: float
    status: int = 200
    error: str | None = None
    result: Any = None
    # The failure was ordered by a test through inject_fault, not caused by the bot.
    injected: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG image, used as the default photo a user sends."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        checksum = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image; None when it is not one of those."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    start_of_frame_markers = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB}
    position = 2
    while position + 9 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        segment_length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker in start_of_frame_markers:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return int(width), int(height)
        position += 2 + segment_length
    return None


@dataclass
class CallbackQueryState:
    created: float
    answered: bool = False


class World:
    """The users, chats, messages and files of the emulated Telegram, in Bot API shapes."""

    def __init__(self, bot_user: JsonDict) -> None:
        self.bot_user = bot_user
        self.users: dict[int, JsonDict] = {}
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryState] = {}
        self._file_numbers = itertools.count(1)
        self._callback_numbers = itertools.count(1)
        self._seq = 0

    def next_seq(self) -> int:
        """The next number in the order of everything that happens in chats."""
        self._seq += 1
        return self._seq

    def add_user(self, name: str, user_id: int | None, language_code: str) -> JsonDict:
        if user_id is None:
            user_id = 100_000_000 + stable_number(name, 900_000_000)
            while user_id in self.users or user_id == self.bot_user["id"]:
                user_id += 1
        elif user_id in self.users:
            raise ValueError(f"user id {user_id} is taken by {self.users[user_id]['first_name']}")
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": name,
            "username": username_for(name),
            "language_code": language_code,
        }
        self.users[user_id] = user
        chat = {"id": user_id, "type": "private", "first_name": name, "username": user["username"]}
        self.chats[user_id] = ChatState(chat)
        return user

    def add_group(
        self, title: str, chat_id: int | None, supergroup: bool, bot_is_admin: bool
    ) -> ChatState:
        if chat_id is None:
            base = 1_000_000_000_000 if supergroup else 1
            chat_id = -(base + stable_number(title, 10**9))
            while chat_id in self.chats:
                chat_id -= 1
        elif chat_id >= 0 or chat_id in self.chats:
            raise ValueError(f"a group needs a new negative chat id, not {chat_id}")
        chat = {"id": chat_id, "type": "supergroup" if supergroup else "group", "title": title}
        state = ChatState(chat, bot_is_admin=bot_is_admin)
        self.chats[chat_id] = state
        return state

    def state(self, chat: ChatRef) -> ChatState:
        chat_id = int(chat["id"]) if isinstance(chat, dict) else int(chat)
        state = self.chats.get(chat_id)
        if state is None:
            raise KeyError(f"no chat with id {chat_id}")
        return state

    def new_message(self, state: ChatState, sender: JsonDict) -> ChatMessage:
        """A message numbered in its chat, where bot and users share one sequence."""
        state.last_message_id += 1
        message = ChatMessage(
            chat_id=state.chat_id,
            message_id=state.last_message_id,
            sender=sender,
            date=int(time.time()),
            changed_seq=self.next_seq(),
        )
        state.messages.append(message)
        return message

    def store_file(
        self,
        data: bytes,
        file_name: str | None,
        mime_type: str | None,
        url: str | None = None,
    ) -> StoredFile:
        number = next(self._file_numbers)
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:06d}",
            file_unique_id=f"AgAD{number:06d}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            url=url,
        )
        self.files[stored.file_id] = stored
        return stored

    def new_callback_query(self) -> str:
        query_id = str(4_000_000_000_000 + next(self._callback_numbers))
        self.callback_queries[query_id] = CallbackQueryState(time.monotonic())
        return query_id

    def message_json(
        self, state: ChatState, message: ChatMessage, with_reply: bool = True
    ) -> JsonDict:
        """The Bot API Message object for a message as it currently is."""
        data: JsonDict = {
            "message_id": message.message_id,
            "from": message.sender,
            "chat": state.chat,
            "date": message.date,
        }
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.caption:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        data.update(message.content)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = {"inline_keyboard": message.reply_markup["inline_keyboard"]}
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        replied = state.find(message.reply_to_message_id or 0) if with_reply else None
        if replied is not None:
            data["reply_to_message"] = self.message_json(state, replied, with_reply=False)
        return data

    def bot_member_json(self, state: ChatState) -> JsonDict:
        return member_json(self.bot_user, "administrator" if state.bot_is_admin else "member")


def member_json(user: JsonDict, status: str) -> JsonDict:
    """The Bot API ChatMember object for a status: creator, administrator, member or left."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status != "administrator":
        return {"status": status, "user": user}
    granted = (
        "can_manage_chat",
        "can_delete_messages",
        "can_manage_video_chats",
        "can_restrict_members",
        "can_change_info",
        "can_invite_users",
        "can_pin_messages",
    )
    withheld = (
        "can_promote_members",
        "can_post_stories",
        "can_edit_stories",
        "can_delete_stories",
    )
    return {
        "status": "administrator",
        "user": user,
        "can_be_edited": False,
        "is_anonymous": False,
        **{right: True for right in granted},
        **{right: False for right in withheld},
    }


def photo_size_json(stored: StoredFile, size: tuple[int, int]) -> JsonDict:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": size[0],
        "height": size[1],
        "file_size": len(stored.data),
    }
