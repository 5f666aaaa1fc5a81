"""The Bot API methods the emulator serves, each checked the way Telegram checks it."""

import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox import api_rules
from bot.sandbox.api_request import ApiError, ApiParams, bad_request
from bot.sandbox.telegram_html import FormattedText
from bot.sandbox.update_feed import UpdateFeed, Webhook
from bot.sandbox.world import (
    ChatMessage,
    ChatState,
    JsonDict,
    StoredFile,
    World,
    image_size,
    member_json,
    photo_size_json,
)

Handler = Callable[[ApiParams], Awaitable[Any]]

# Telegram refuses to answer a callback query this long after the button press.
CALLBACK_QUERY_LIFETIME = 15.0
CHAT_BURST = 3
CHAT_MESSAGES_PER_SECOND = 1.0
GROUP_MESSAGES_PER_MINUTE = 20
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


@dataclass
class Described:
    """A successful result that Telegram sends with a description, like "Webhook was set"."""

    result: Any
    description: str


@dataclass
class _FloodState:
    allowance: float
    checked_at: float
    minute_sends: deque[float]


class BotApiMethods:
    """One handler per Bot API method, working on the emulator's world and update feed."""

    def __init__(
        self,
        world: World,
        feed: UpdateFeed,
        *,
        strict_rate_limits: bool,
        group_privacy: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._world = world
        self._feed = feed
        self._strict_rate_limits = strict_rate_limits
        self._clock = clock  # what flood control measures with: a test's virtual clock, or real time
        self._group_privacy = group_privacy
        self._flood: dict[int, _FloodState] = {}
        # (scope as a JSON key, language code) -> commands
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}

    def handlers(self) -> dict[str, Handler]:
        """Method name as Telegram spells it -> handler."""
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "getFile": self._get_file,
            "close": self._refuse_logout,
            "logOut": self._refuse_logout,
        }

    # The bot and its updates

    async def _get_me(self, params: ApiParams) -> JsonDict:
        return {
            **self._world.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self._group_privacy,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: ApiParams) -> list[JsonDict]:
        return await self._feed.get_updates(
            offset=params.integer("offset"),
            limit=params.integer("limit"),
            timeout=params.number("timeout") or 0.0,
            allowed=params.json_value("allowed_updates", "allowed updates"),
        )

    async def _set_webhook(self, params: ApiParams) -> Described:
        url = api_rules.webhook_url(params)
        drop_pending = params.boolean("drop_pending_updates")
        if not url:
            await self._feed.delete_webhook(drop_pending)
            return Described(True, "Webhook was deleted")
        webhook = Webhook(
            url=url,
            secret_token=api_rules.secret_token(params),
            max_connections=params.integer("max_connections") or 40,
            allowed_updates=params.json_value("allowed_updates", "allowed updates"),
        )
        await self._feed.set_webhook(webhook, drop_pending)
        return Described(True, "Webhook was set")

    async def _delete_webhook(self, params: ApiParams) -> Described:
        had_webhook = self._feed.webhook is not None
        await self._feed.delete_webhook(params.boolean("drop_pending_updates"))
        return Described(
            True, "Webhook was deleted" if had_webhook else "Webhook is already deleted"
        )

    async def _get_webhook_info(self, params: ApiParams) -> JsonDict:
        return self._feed.webhook_info()

    async def _refuse_logout(self, params: ApiParams) -> None:
        raise bad_request("the sandbox does not log the bot out or close it")

    # Sending

    async def _send_message(self, params: ApiParams) -> JsonDict:
        state = self._chat_for_sending(params)
        text = api_rules.message_text(params)
        markup = api_rules.reply_markup(params)
        reply_to = self._reply_target(state, params)
        self._check_flood(state)
        message = self._world.new_message(state, self._world.bot_user)
        message.text, message.entities = text.text, text.entities
        message.source_text = params.text("text")
        message.reply_markup = markup
        message.reply_to_message_id = reply_to
        return self._world.message_json(state, message)

    async def _send_document(self, params: ApiParams) -> JsonDict:
        state = self._chat_for_sending(params)
        caption = api_rules.caption_text(params)
        markup = api_rules.reply_markup(params)
        reply_to = self._reply_target(state, params)
        stored = self._input_file(params, "document", MAX_DOCUMENT_BYTES)
        self._check_flood(state)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return self._send_media(state, params, {"document": document}, caption, markup, reply_to)

    async def _send_photo(self, params: ApiParams) -> JsonDict:
        state = self._chat_for_sending(params)
        caption = api_rules.caption_text(params)
        markup = api_rules.reply_markup(params)
        reply_to = self._reply_target(state, params)
        stored = self._input_file(params, "photo", MAX_PHOTO_BYTES)
        size = image_size(stored.data) if stored.data else (0, 0)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        self._check_flood(state)
        photo = {"photo": [photo_size_json(stored, size)]}
        return self._send_media(state, params, photo, caption, markup, reply_to)

    def _send_media(
        self,
        state: ChatState,
        params: ApiParams,
        content: JsonDict,
        caption: FormattedText,
        markup: JsonDict | None,
        reply_to: int | None,
    ) -> JsonDict:
        message = self._world.new_message(state, self._world.bot_user)
        message.content = content
        if caption.text:
            message.caption, message.caption_entities = caption.text, caption.entities
            message.source_text = params.text("caption")
        message.reply_markup = markup
        message.reply_to_message_id = reply_to
        return self._world.message_json(state, message)

    async def _send_chat_action(self, params: ApiParams) -> bool:
        self._chat_for_sending(params)
        api_rules.chat_action(params)
        return True

    # Changing sent messages

    async def _edit_message_text(self, params: ApiParams) -> JsonDict:
        state, message = self._message_to_edit(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text = api_rules.message_text(params)
        markup = api_rules.inline_markup(params)
        if (message.text, message.entities, message.reply_markup) == (
            text.text,
            text.entities,
            markup,
        ):
            raise bad_request(_NOT_MODIFIED)
        message.earlier_versions.append(message.snapshot(time.time()))
        message.text, message.entities = text.text, text.entities
        message.source_text = params.text("text")
        message.reply_markup = markup
        return self._mark_edited(state, message)

    async def _edit_message_reply_markup(self, params: ApiParams) -> JsonDict:
        state, message = self._message_to_edit(params)
        markup = api_rules.inline_markup(params)
        if message.reply_markup == markup:
            raise bad_request(_NOT_MODIFIED)
        message.earlier_versions.append(message.snapshot(time.time()))
        message.reply_markup = markup
        return self._mark_edited(state, message)

    def _mark_edited(self, state: ChatState, message: ChatMessage) -> JsonDict:
        message.edit_date = int(time.time())
        message.changed_seq = self._world.next_seq()
        return self._world.message_json(state, message)

    def _message_to_edit(self, params: ApiParams) -> tuple[ChatState, ChatMessage]:
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        state = self._chat(params)
        message_id = params.integer("message_id")
        message = state.find(message_id) if message_id is not None else None
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return state, message

    async def _delete_message(self, params: ApiParams) -> bool:
        state = self._chat(params)
        message_id = params.integer("message_id")
        message = state.find(message_id) if message_id is not None else None
        if message is None:
            raise bad_request("message to delete not found")
        if not (message.from_bot or state.is_private or state.bot_is_admin):
            raise bad_request("message can't be deleted")
        message.deleted = True
        return True

    async def _answer_callback_query(self, params: ApiParams) -> bool:
        query = self._world.callback_queries.get(params.text("callback_query_id") or "")
        if (
            query is None
            or query.answered
            or time.monotonic() - query.created > CALLBACK_QUERY_LIFETIME
        ):
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(params.text("text") or "") > api_rules.MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        return True

    # Commands, chats and files

    async def _set_my_commands(self, params: ApiParams) -> bool:
        commands = api_rules.bot_commands(params)
        self.commands[self._commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: ApiParams) -> list[dict[str, str]]:
        return list(self.commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: ApiParams) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _commands_key(self, params: ApiParams) -> tuple[str, str]:
        scope = api_rules.command_scope(params)
        if "chat_id" in scope:
            scope["chat_id"] = self._chat_by_reference(str(scope["chat_id"])).chat_id
        return api_rules.scope_key(scope), api_rules.language_code(params)

    async def _get_chat(self, params: ApiParams) -> JsonDict:
        state = self._chat(params)
        return {
            **state.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: ApiParams) -> JsonDict:
        state = self._chat(params)
        user_id = params.integer("user_id")
        if user_id == self._world.bot_user["id"]:
            return self._world.bot_member_json(state)
        user = self._world.users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        if state.is_private:
            return member_json(user, "member" if user_id == state.chat_id else "left")
        return member_json(user, state.members.get(user["id"], "left"))

    async def _get_chat_administrators(self, params: ApiParams) -> list[JsonDict]:
        state = self._chat(params)
        if state.is_private:
            raise bad_request("there are no administrators in the private chat")
        admins = [
            member_json(self._world.users[user_id], status)
            for user_id, status in state.members.items()
            if status in ("creator", "administrator")
        ]
        if state.bot_is_admin:
            admins.append(self._world.bot_member_json(state))
        return admins

    async def _get_file(self, params: ApiParams) -> JsonDict:
        stored = self._world.files.get(params.text("file_id") or "")
        if stored is None or stored.url is not None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    # Checks shared by the methods

    def _chat(self, params: ApiParams) -> ChatState:
        reference = params.text("chat_id")
        if not reference:
            raise bad_request("chat_id is empty")
        return self._chat_by_reference(reference)

    def _chat_by_reference(self, reference: str) -> ChatState:
        try:
            state = self._world.chats.get(int(reference))
        except ValueError:
            state = None
        if state is None:
            raise bad_request("chat not found")
        return state

    def _chat_for_sending(self, params: ApiParams) -> ChatState:
        state = self._chat(params)
        if state.is_private and not state.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if state.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": state.migrated_to},
            )
        if state.bot_removed:
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return state

    def _reply_target(self, state: ChatState, params: ApiParams) -> int | None:
        reply = params.json_value("reply_parameters", "reply parameters")
        if reply is None:
            message_id = params.integer("reply_to_message_id")
            allow_missing = params.boolean("allow_sending_without_reply")
        elif isinstance(reply, dict) and isinstance(reply.get("message_id"), int):
            message_id = reply["message_id"]
            allow_missing = bool(reply.get("allow_sending_without_reply"))
        else:
            raise bad_request("can't parse reply parameters JSON object")
        if message_id is None:
            return None
        if state.find(message_id) is not None:
            return message_id
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")

    def _check_flood(self, state: ChatState) -> None:
        """Telegram's per-chat limits: about one message a second after a short burst,
        and at most 20 a minute in a group."""
        if not self._strict_rate_limits:
            return
        now = self._clock()
        flood = self._flood.setdefault(state.chat_id, _FloodState(CHAT_BURST, now, deque()))
        elapsed = now - flood.checked_at
        flood.allowance = min(CHAT_BURST, flood.allowance + elapsed * CHAT_MESSAGES_PER_SECOND)
        flood.checked_at = now
        if flood.allowance < 1:
            _refuse_flood((1 - flood.allowance) / CHAT_MESSAGES_PER_SECOND)
        if not state.is_private:
            while flood.minute_sends and now - flood.minute_sends[0] >= 60:
                flood.minute_sends.popleft()
            if len(flood.minute_sends) >= GROUP_MESSAGES_PER_MINUTE:
                _refuse_flood(flood.minute_sends[0] + 60 - now)
            flood.minute_sends.append(now)
        flood.allowance -= 1

    def _input_file(self, params: ApiParams, field: str, max_bytes: int) -> StoredFile:
        upload = params.upload(field)
        if upload is not None:
            if not upload.data:
                raise bad_request("file must be non-empty")
            if len(upload.data) > max_bytes:
                raise ApiError(413, "Request Entity Too Large")
            return self._world.store_file(upload.data, upload.filename, upload.content_type)
        reference = params.text(field)
        if not reference:
            raise bad_request(f"there is no {field} in the request")
        if reference in self._world.files:
            return self._world.files[reference]
        if urlsplit(reference).scheme in ("http", "https"):
            # Telegram would download it; the sandbox has no network, so it keeps the URL.
            return self._world.store_file(b"", None, None, url=reference)
        raise bad_request("wrong file identifier/HTTP URL specified")


def _refuse_flood(wait_seconds: float) -> None:
    retry_after = max(1, math.ceil(wait_seconds))
    raise ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )
