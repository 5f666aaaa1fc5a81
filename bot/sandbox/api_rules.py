"""Telegram's validation rules for message content, keyboards, commands and settings."""

import json
import re
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox.api_request import ApiParams, bad_request
from bot.sandbox.telegram_html import (
    FormattedText,
    HtmlParseError,
    parse_html,
    strip_formatted,
    utf16_len,
)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100

_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_BUTTON_URL_SCHEMES = ("http", "https", "tg")
_COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE_PATTERN = re.compile(r"[a-z]{2}")
_SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SCOPE_TYPES = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def formatted_text(params: ApiParams, text_field: str, entities_field: str) -> FormattedText:
    """The text of a message or caption after Telegram's entity parsing and trimming."""
    raw = params.text(text_field) or ""
    entities = params.json_value(entities_field, "message entities")
    if entities is not None:
        return strip_formatted(FormattedText(raw, _checked_entities(entities)))
    parse_mode = (params.text("parse_mode") or "").strip().lower()
    if not parse_mode:
        return strip_formatted(FormattedText(raw))
    if parse_mode == "html":
        try:
            return parse_html(raw)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if parse_mode in ("markdown", "markdownv2"):
        raise bad_request("can't parse entities: the sandbox only parses the HTML parse mode")
    raise bad_request("unsupported parse_mode")


def message_text(params: ApiParams) -> FormattedText:
    """A message's text, checked along with the options that shape how it is shown."""
    preview_options = params.json_value("link_preview_options", "link preview options")
    if preview_options is not None and not isinstance(preview_options, dict):
        raise bad_request("can't parse link preview options JSON object")
    text = formatted_text(params, "text", "entities")
    if not text.text:
        raise bad_request("message text is empty")
    if utf16_len(text.text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return text


def caption_text(params: ApiParams) -> FormattedText:
    caption = formatted_text(params, "caption", "caption_entities")
    if utf16_len(caption.text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return caption


def _checked_entities(entities: Any) -> list[dict[str, Any]]:
    if not isinstance(entities, list) or not all(
        isinstance(entity, dict)
        and isinstance(entity.get("type"), str)
        and isinstance(entity.get("offset"), int)
        and isinstance(entity.get("length"), int)
        for entity in entities
    ):
        raise bad_request("can't parse entities JSON object")
    return entities


def reply_markup(params: ApiParams) -> dict[str, Any] | None:
    """Any kind of reply markup, as accepted by the send methods."""
    markup = params.json_value("reply_markup", "reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _check_reply_keyboard(markup["keyboard"])
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def inline_markup(params: ApiParams) -> dict[str, Any] | None:
    """An inline keyboard, the only markup an edited message can have."""
    markup = reply_markup(params)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def _check_inline_keyboard(keyboard: Any) -> None:
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for row in keyboard:
        for button in row:
            _check_inline_button(button)


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used"
        )
    if "callback_data" in button and not _valid_callback_data(button["callback_data"]):
        raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not _valid_button_url(button["url"]):
        raise bad_request("BUTTON_URL_INVALID")


def _valid_callback_data(data: Any) -> bool:
    return isinstance(data, str) and 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES


def _valid_button_url(url: Any) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _BUTTON_URL_SCHEMES:
        return False
    return parts.scheme.lower() == "tg" or bool(parts.hostname)


def _check_reply_keyboard(keyboard: Any) -> None:
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    for row in keyboard:
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse keyboard button: text must be non-empty")


def bot_commands(params: ApiParams) -> list[dict[str, str]]:
    commands = params.json_value("commands", "bot commands")
    if commands is None:
        raise bad_request('parameter "commands" is required')
    if not isinstance(commands, list) or not all(isinstance(item, dict) for item in commands):
        raise bad_request("can't parse bot commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for item in commands:
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND_PATTERN.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": command, "description": description})
    return checked


def command_scope(params: ApiParams) -> dict[str, Any]:
    """The BotCommandScope of a commands call, defaulting to "default"."""
    scope = params.json_value("scope", "BotCommandScope")
    if scope is None:
        return {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    required = _SCOPE_TYPES[scope["type"]]
    if any(scope.get(name) in (None, "") for name in required):
        raise bad_request("can't parse BotCommandScope JSON object")
    return {"type": scope["type"], **{name: scope[name] for name in required}}


def scope_key(scope: dict[str, Any]) -> str:
    return json.dumps(scope, sort_keys=True)


def language_code(params: ApiParams) -> str:
    code = params.text("language_code") or ""
    if code and not _LANGUAGE_CODE_PATTERN.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code


def secret_token(params: ApiParams) -> str | None:
    token = params.text("secret_token")
    if token is None:
        return None
    if not _SECRET_TOKEN_PATTERN.fullmatch(token):
        raise bad_request(
            "bad webhook: secret token must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
        )
    return token


def webhook_url(params: ApiParams) -> str:
    """The webhook URL; plain http is allowed because the sandbox serves on localhost."""
    url = (params.text("url") or "").strip()
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
        raise bad_request("bad webhook: invalid URL specified")
    return url


def chat_action(params: ApiParams) -> str:
    action = params.text("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return action
