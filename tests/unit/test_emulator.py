"""The Bot API emulator answers like Telegram: same envelopes, same refusals, same state."""

import asyncio
import json

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.sandbox import bot_api
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.world import tiny_png

TOKEN = "123456789:TEST-token"


@pytest.fixture
async def emulator():
    emulator = BotApiEmulator(TOKEN)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emulator):
    async with Bot(TOKEN, base_url=emulator.base_url, base_file_url=emulator.base_file_url) as bot:
        yield bot


@pytest.fixture
async def api(emulator):
    async with httpx.AsyncClient(base_url=f"{emulator.base_url}{TOKEN}/") as client:
        yield client


def started_user(emulator: BotApiEmulator, name: str = "Alice") -> dict:
    """A user who has written to the bot, so the bot may write to them."""
    user = emulator.add_user(name)
    emulator.send_text(user, user, "/start")
    return user


def keyboard(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(buttons)])


async def test_get_me_describes_the_bot(bot):
    me = await bot.get_me()

    assert (me.id, me.username, me.is_bot) == (123456789, "sourcing_bot", True)


async def test_wrong_token_is_unauthorized(emulator):
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emulator.base_url}999:WRONG/getMe")

    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_not_found(api, emulator):
    response = await api.post("sendTelepathy", data={"chat_id": "1"})

    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert [call.method for call in emulator.rejections()] == ["sendTelepathy"]


async def test_refusal_uses_telegrams_error_envelope(api):
    response = await api.post("sendMessage", data={"chat_id": "42", "text": "hi"})

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: chat not found",
    }


async def test_bot_cannot_start_a_conversation(emulator, bot):
    silent = emulator.add_user("Silent")

    with pytest.raises(Forbidden, match="(?i)can't initiate conversation"):
        await bot.send_message(silent["id"], "hello")


async def test_messages_are_numbered_per_chat_shared_with_the_users(emulator, bot):
    alice, bob = started_user(emulator, "Alice"), started_user(emulator, "Bob")

    to_alice = await bot.send_message(alice["id"], "hi Alice")
    to_bob = await bot.send_message(bob["id"], "hi Bob")
    emulator.send_text(alice, alice, "thanks")
    again = await bot.send_message(alice["id"], "welcome")

    assert (to_alice.message_id, to_bob.message_id, again.message_id) == (2, 2, 4)
    assert to_alice.from_user.username == "sourcing_bot"
    assert [m.text for m in emulator.messages(alice)] == ["hi Alice", "welcome"]
    assert [m.text for m in emulator.history(alice)] == ["/start", "hi Alice", "thanks", "welcome"]


async def test_accepts_json_form_and_query_string_parameters(emulator, api):
    alice = started_user(emulator)
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}

    as_json = await api.post(
        "sendMessage", json={"chat_id": alice["id"], "text": "json", "reply_markup": markup}
    )
    as_form = await api.post(
        "sendMessage",
        data={"chat_id": str(alice["id"]), "text": "form", "reply_markup": json.dumps(markup)},
    )
    as_query = await api.get("sendMessage", params={"chat_id": alice["id"], "text": "query"})

    assert [r.json()["ok"] for r in (as_json, as_form, as_query)] == [True, True, True]
    assert as_json.json()["result"]["reply_markup"] == markup
    assert as_form.json()["result"]["reply_markup"] == markup
    assert [m.text for m in emulator.messages(alice)] == ["json", "form", "query"]


async def test_accepts_the_optional_parameters_the_bot_sends(emulator, bot):
    alice = started_user(emulator)

    sent = await bot.send_message(
        alice["id"],
        "Which supplier?",
        reply_parameters=ReplyParameters(message_id=1),
        reply_markup=ForceReply(input_field_placeholder="Supplier name"),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        disable_notification=True,
        protect_content=True,
        message_thread_id=5,
    )

    assert sent.reply_to_message.text == "/start"
    assert emulator.last_message(alice).reply_markup["force_reply"] is True
    assert emulator.rejections() == []


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("reply_markup", "{not json", "can't parse reply keyboard markup JSON object"),
        ("reply_markup", '{"remove_keyboard": false}', "can't parse reply keyboard markup"),
        ("link_preview_options", "[1]", "can't parse link preview options JSON object"),
        ("reply_parameters", '{"chat_id": 1}', "can't parse reply parameters JSON object"),
        ("parse_mode", "HTML5", "unsupported parse_mode"),
    ],
)
async def test_refuses_malformed_parameters(emulator, api, field, value, reason):
    alice = started_user(emulator)

    response = await api.post(
        "sendMessage", data={"chat_id": str(alice["id"]), "text": "hi", field: value}
    )

    assert response.status_code == 400
    assert response.json()["description"].startswith(f"Bad Request: {reason}")


async def test_html_is_parsed_into_text_and_entities(emulator, bot):
    alice = started_user(emulator)

    sent = await bot.send_message(
        alice["id"],
        "<b>Price</b>: ¥12 &amp; <a href='https://1688.com'>shop</a>",
        parse_mode="HTML",
    )

    assert sent.text == "Price: ¥12 & shop"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 5),
        ("text_link", 13, 4),
    ]
    stored = emulator.last_message(alice)
    assert stored.text == "Price: ¥12 & shop"
    assert stored.source_text.startswith("<b>Price</b>")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>unclosed", "can't parse entities: Can't find end tag"),
        ("<marquee>hi</marquee>", 'can\'t parse entities: Unsupported start tag "marquee"'),
        ("1 < 2", "can't parse entities: Unsupported start tag"),
        ("Tom & Jerry", "can't parse entities: Character '&'"),
        ("<b>  </b>", "message text is empty"),
        ("😀" * 2048 + "!", "message is too long"),
    ],
)
async def test_refuses_text_telegram_refuses(emulator, bot, html, reason):
    alice = started_user(emulator)

    with pytest.raises(BadRequest):
        await bot.send_message(alice["id"], html, parse_mode="HTML")

    assert emulator.rejections()[-1].error.startswith(f"Bad Request: {reason}")
    assert emulator.messages(alice) == []


async def test_length_is_counted_after_entity_parsing_in_utf16_units(emulator, bot):
    alice = started_user(emulator)

    await bot.send_message(alice["id"], "😀" * 2048)
    await bot.send_message(alice["id"], "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")

    assert len(emulator.messages(alice)) == 2


async def test_caption_over_1024_characters_is_refused(emulator, bot):
    alice = started_user(emulator)

    await bot.send_document(alice["id"], b"data", filename="a.txt", caption="c" * 1024)
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_document(alice["id"], b"data", filename="a.txt", caption="c" * 1025)


@pytest.mark.parametrize(
    ("button", "reason"),
    [
        ({"text": "Big", "callback_data": "é" * 33}, "BUTTON_DATA_INVALID"),
        ({"text": "Empty", "callback_data": ""}, "BUTTON_DATA_INVALID"),
        ({"text": "FTP", "url": "ftp://files.example.com"}, "BUTTON_URL_INVALID"),
        ({"text": "Hostless", "url": "https://"}, "BUTTON_URL_INVALID"),
        ({"text": "Idle"}, "Text buttons are unallowed in the inline keyboard"),
        ({"text": "Both", "callback_data": "x", "url": "https://a.cn"}, "exactly one"),
        ({"callback_data": "x"}, 'Field "text" must be of type String'),
    ],
)
async def test_refuses_invalid_inline_buttons(emulator, api, button, reason):
    alice = started_user(emulator)

    response = await api.post(
        "sendMessage",
        json={
            "chat_id": alice["id"],
            "text": "pick",
            "reply_markup": {"inline_keyboard": [[button]]},
        },
    )

    assert response.status_code == 400
    assert reason in response.json()["description"]


async def test_accepts_buttons_telegram_accepts(emulator, bot):
    alice = started_user(emulator)
    markup = keyboard(
        InlineKeyboardButton("64 bytes", callback_data="é" * 32),
        InlineKeyboardButton("Shop", url="https://detail.1688.com/offer/1.html"),
        InlineKeyboardButton("Channel", url="tg://resolve?domain=telegram"),
    )

    sent = await bot.send_message(alice["id"], "pick", reply_markup=markup)

    assert sent.reply_markup == markup
    assert [b["text"] for b in emulator.last_message(alice).buttons()] == [
        "64 bytes",
        "Shop",
        "Channel",
    ]


async def test_reply_needs_an_existing_message_unless_allowed(emulator, bot):
    alice = started_user(emulator)

    reply = await bot.send_message(alice["id"], "got it", reply_to_message_id=1)
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(alice["id"], "lost", reply_to_message_id=99)
    fallback = await bot.send_message(
        alice["id"], "anyway", reply_to_message_id=99, allow_sending_without_reply=True
    )

    assert reply.reply_to_message.text == "/start"
    assert fallback.reply_to_message is None


async def test_edit_changes_the_message_and_keeps_its_history(emulator, bot):
    alice = started_user(emulator)
    sent = await bot.send_message(
        alice["id"],
        "Pick a size",
        reply_markup=keyboard(InlineKeyboardButton("M", callback_data="m")),
    )

    edited = await bot.edit_message_text("Size M chosen", alice["id"], sent.message_id)

    message = emulator.last_message(alice)
    assert edited.text == message.text == "Size M chosen"
    assert message.buttons() == []  # an edit without reply_markup removes the keyboard
    assert [v.text for v in message.earlier_versions] == ["Pick a size"]
    assert message.edit_date is not None


async def test_edit_with_identical_content_is_not_modified(emulator, bot):
    alice = started_user(emulator)
    markup = keyboard(InlineKeyboardButton("M", callback_data="m"))
    sent = await bot.send_message(
        alice["id"], "<b>Pick</b>", parse_mode="HTML", reply_markup=markup
    )

    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>Pick</b>", alice["id"], sent.message_id, parse_mode="HTML", reply_markup=markup
        )
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(alice["id"], sent.message_id, reply_markup=markup)
    await bot.edit_message_text("Pick", alice["id"], sent.message_id, reply_markup=markup)

    assert emulator.last_message(alice).entities == []


async def test_edit_refusals(emulator, bot):
    alice = started_user(emulator)

    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("new", alice["id"], 77)
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await bot.edit_message_text("new", alice["id"], 1)
    document = await bot.send_document(alice["id"], b"data", filename="a.txt")
    with pytest.raises(BadRequest, match="(?i)there is no text in the message to edit"):
        await bot.edit_message_text("new", alice["id"], document.message_id)


async def test_delete_removes_the_message_once(emulator, bot):
    alice = started_user(emulator)
    sent = await bot.send_message(alice["id"], "oops")

    assert await bot.delete_message(alice["id"], sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(alice["id"], sent.message_id)
    assert emulator.messages(alice) == []


async def test_bot_needs_admin_rights_to_delete_others_messages_in_a_group(emulator, bot):
    alice = emulator.add_user("Alice")
    team = emulator.add_group("Team")
    emulator.add_member(team, alice)
    emulator.send_text(alice, team, "/start")

    with pytest.raises(BadRequest, match="(?i)message can't be deleted"):
        await bot.delete_message(team["id"], emulator.history(team)[-1].message_id)


async def test_callback_query_can_be_answered_once(emulator, bot):
    alice = started_user(emulator)
    sent = await bot.send_message(
        alice["id"], "Pick", reply_markup=keyboard(InlineKeyboardButton("A", callback_data="a"))
    )
    emulator.press_button(alice, alice, sent.message_id, "a")
    query = (await bot.get_updates())[-1].callback_query

    assert query.data == "a" and query.message.text == "Pick"
    with pytest.raises(BadRequest, match="(?i)MESSAGE_TOO_LONG"):
        await query.answer("x" * 201)
    assert await query.answer("x" * 200)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer()
    with pytest.raises(BadRequest, match="(?i)query ID is invalid"):
        await bot.answer_callback_query("123")


async def test_forged_button_press_on_a_missing_message(emulator, bot):
    alice = started_user(emulator)

    emulator.press_button(alice, alice, 404, "forged:" + "x" * 100)

    query = (await bot.get_updates())[-1].callback_query
    assert query.data == "forged:" + "x" * 100
    assert query.message.message_id == 404 and not query.message.is_accessible


async def test_documents_are_stored_and_downloadable(emulator, bot):
    alice = started_user(emulator)

    sent = await bot.send_document(alice["id"], b"%PDF quote", filename="quote.pdf")
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()

    assert (sent.document.file_name, sent.document.file_size) == ("quote.pdf", 10)
    assert bytes(downloaded) == b"%PDF quote"
    assert emulator.stored_file(sent.document.file_id).data == b"%PDF quote"
    resent = await bot.send_document(alice["id"], sent.document.file_id)
    assert resent.document.file_id == sent.document.file_id


async def test_photos_must_be_images(emulator, bot):
    alice = started_user(emulator)

    photo = await bot.send_photo(
        alice["id"], tiny_png(3, 5), caption="<i>sample</i>", parse_mode="HTML"
    )
    with pytest.raises(BadRequest, match="(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(alice["id"], b"not an image")
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_photo(alice["id"], "no-such-file-id")

    assert (photo.photo[-1].width, photo.photo[-1].height, photo.caption) == (3, 5, "sample")


async def test_chat_action_must_be_known(emulator, bot):
    alice = started_user(emulator)

    assert await bot.send_chat_action(alice["id"], "typing")
    with pytest.raises(BadRequest, match="(?i)wrong parameter action"):
        await bot.send_chat_action(alice["id"], "dancing")


async def test_commands_are_kept_per_scope_and_language(emulator, bot):
    team = emulator.add_group("Team")
    scope = BotCommandScopeChat(team["id"])

    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("quote", "Get a quote")])
    await bot.set_my_commands([BotCommand("start", "开始")], language_code="zh")
    await bot.set_my_commands([BotCommand("team", "Team settings")], scope=scope)

    assert [c.command for c in await bot.get_my_commands()] == ["start", "quote"]
    assert [c.description for c in await bot.get_my_commands(language_code="zh")] == ["开始"]
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["team"]
    assert emulator.commands({"type": "chat", "chat_id": team["id"]})[0]["command"] == "team"
    await bot.delete_my_commands(language_code="zh")
    assert await bot.get_my_commands(language_code="zh") == ()


@pytest.mark.parametrize(
    ("commands", "language", "reason"),
    [
        ([{"command": "Start", "description": "x"}], "", "BOT_COMMAND_INVALID"),
        ([{"command": "a" * 33, "description": "x"}], "", "BOT_COMMAND_INVALID"),
        ([{"command": "go-now", "description": "x"}], "", "BOT_COMMAND_INVALID"),
        ([{"command": "go", "description": ""}], "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([{"command": "go", "description": "d" * 257}], "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        (
            [{"command": f"c{i}", "description": "d"} for i in range(101)],
            "",
            "BOT_COMMANDS_TOO_MUCH",
        ),
        ([{"command": "go", "description": "d"}], "EN", "invalid language code"),
    ],
)
async def test_refuses_invalid_commands(api, commands, language, reason):
    response = await api.post(
        "setMyCommands", json={"commands": commands, "language_code": language}
    )

    assert response.status_code == 400
    assert reason in response.json()["description"]


async def test_group_members_and_administrators(emulator, bot):
    alice, bob, carol = (emulator.add_user(name) for name in ("Alice", "Bob", "Carol"))
    team = emulator.add_group("Team")
    emulator.add_member(team, alice)
    emulator.add_member(team, bob, admin=True)
    emulator.add_member(team, carol)

    chat = await bot.get_chat(team["id"])
    admins = await bot.get_chat_administrators(team["id"])
    carol_member = await bot.get_chat_member(team["id"], carol["id"])

    assert (chat.title, chat.type, chat.id < 0) == ("Team", "supergroup", True)
    assert {(a.user.first_name, a.status) for a in admins} == {
        ("Alice", ChatMemberStatus.OWNER),
        ("Bob", ChatMemberStatus.ADMINISTRATOR),
    }
    assert carol_member.status == ChatMemberStatus.MEMBER
    with pytest.raises(BadRequest, match="(?i)no administrators in the private chat"):
        await bot.get_chat_administrators(alice["id"])


async def test_group_created_with_the_bot_announces_it(emulator, bot):
    alice = emulator.add_user("Alice")

    team = emulator.add_group("Team", added_by=alice)

    updates = await bot.get_updates()
    joined = updates[0].my_chat_member
    assert (joined.chat.id, joined.from_user.id, joined.new_chat_member.status) == (
        team["id"],
        alice["id"],
        ChatMemberStatus.MEMBER,
    )
    assert updates[1].message.new_chat_members[0].username == "sourcing_bot"
    assert emulator.members(team) == {alice["id"]: "creator"}


async def test_group_privacy_hides_plain_messages_from_the_bot(emulator, bot):
    alice = emulator.add_user("Alice")
    team = emulator.add_group("Team")
    emulator.add_member(team, alice)
    ours = await bot.send_message(team["id"], "Vote here")

    hidden = emulator.send_text(alice, team, "lunch?")
    command = emulator.send_text(alice, team, "/quote@sourcing_bot 10 units")
    other_bot = emulator.send_text(alice, team, "/quote@other_bot")
    mention = emulator.send_text(alice, team, "@sourcing_bot help")
    reply = emulator.send_text(alice, team, "yes", reply_to_message_id=ours.message_id)

    assert hidden is None and other_bot is None
    delivered = [u.message.text for u in (await bot.get_updates())[1:]]
    assert delivered == ["/quote@sourcing_bot 10 units", "@sourcing_bot help", "yes"]
    assert None not in (command, mention, reply)


async def test_admin_bot_sees_every_group_message(emulator, bot):
    alice = emulator.add_user("Alice")
    team = emulator.add_group("Team", bot_is_admin=True)
    emulator.add_member(team, alice)

    assert emulator.send_text(alice, team, "lunch?") is not None


async def test_users_can_only_write_where_they_belong(emulator):
    alice, bob = emulator.add_user("Alice"), emulator.add_user("Bob")
    team = emulator.add_group("Team")

    with pytest.raises(ValueError, match="(?i)not a member"):
        emulator.send_text(alice, team, "hi")
    with pytest.raises(ValueError, match="(?i)own private chat"):
        emulator.send_text(alice, bob, "hi")


async def test_user_ids_are_stable_and_distinct(emulator):
    again = BotApiEmulator(TOKEN)

    assert emulator.add_user("Alice")["id"] == again.add_user("Alice")["id"]
    assert emulator.add_user("Bob")["id"] != emulator.add_user("Bob 2")["id"]
    assert emulator.add_user("Chen", user_id=555)["id"] == 555


async def test_user_messages_reach_the_bot_as_telegram_sends_them(emulator, bot):
    alice = emulator.add_user("Alice", language_code="zh")

    emulator.send_text(alice, alice, "/start@sourcing_bot hello")
    emulator.send_sticker(alice, alice)
    emulator.send_photo(alice, alice, caption="this one")
    emulator.forward_text(alice, alice, "价格 10 元", from_name="Yiwu Toys")

    command, sticker, photo, forwarded = [u.message for u in await bot.get_updates()]
    assert command.from_user.language_code == "zh"
    assert command.entities[0].type == "bot_command" and command.entities[0].length == 19
    assert sticker.sticker.emoji == "🙂"
    assert photo.caption == "this one" and photo.photo[-1].width == 2
    assert forwarded.forward_origin.sender_user_name == "Yiwu Toys"
    assert forwarded.text == "价格 10 元"


async def test_logging_out_is_refused(bot):
    with pytest.raises(BadRequest):
        await bot.log_out()


async def test_calls_are_recorded_with_parsed_parameters(emulator, bot):
    alice = started_user(emulator)

    await bot.send_message(
        alice["id"], "hi", reply_markup=keyboard(InlineKeyboardButton("A", callback_data="a"))
    )
    with pytest.raises(BadRequest):
        await bot.send_message(alice["id"], "<b>hi", parse_mode="HTML")

    sent, refused = [call for call in emulator.calls if call.method == "sendMessage"]
    assert sent.ok and sent.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
    assert sent.result["message_id"] == 2
    assert not refused.ok and refused.status == 400
    assert emulator.rejections() == [refused]


async def test_injected_faults_fail_without_effect_and_are_not_the_bots_fault(emulator, bot):
    alice = started_user(emulator)
    emulator.inject_fault("sendMessage", status=429, retry_after=7)
    emulator.inject_fault("sendMessage", status=500)
    emulator.inject_fault("sendMessage", status=502)

    with pytest.raises(RetryAfter, match="Retry in 7 seconds"):
        await bot.send_message(alice["id"], "one")
    with pytest.raises(NetworkError, match="(?i)Internal Server Error"):
        await bot.send_message(alice["id"], "two")
    with pytest.raises(NetworkError, match="(?i)Bad Gateway"):
        await bot.send_message(alice["id"], "three")
    await bot.send_message(alice["id"], "four")

    assert [m.text for m in emulator.messages(alice)] == ["four"]
    assert emulator.rejections() == []
    with pytest.raises(ValueError):
        emulator.inject_fault("sendTelepathy")


async def test_injected_delay_makes_the_bot_time_out_while_telegram_still_acts(emulator):
    alice = started_user(emulator)
    emulator.inject_delay("sendMessage", 0.5)
    impatient = Bot(TOKEN, base_url=emulator.base_url, request=HTTPXRequest(read_timeout=0.1))

    async with impatient:
        with pytest.raises(TimedOut):
            await impatient.send_message(alice["id"], "slow")
        arrived = await emulator.wait_for_message(alice, timeout=2)

    assert arrived.text == "slow"


async def test_strict_rate_limits_allow_a_burst_then_one_message_a_second():
    async with BotApiEmulator(TOKEN, strict_rate_limits=True) as emulator:
        alice = started_user(emulator)
        async with Bot(TOKEN, base_url=emulator.base_url) as bot:
            for number in range(3):
                await bot.send_message(alice["id"], f"burst {number}")
            with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
                await bot.send_message(alice["id"], "too fast")

    assert len(emulator.messages(alice)) == 3


async def test_strict_rate_limits_allow_twenty_group_messages_a_minute(monkeypatch):
    monkeypatch.setattr(bot_api, "CHAT_MESSAGES_PER_SECOND", 1000.0)
    async with BotApiEmulator(TOKEN, strict_rate_limits=True) as emulator:
        team = emulator.add_group("Team")
        async with Bot(TOKEN, base_url=emulator.base_url) as bot:
            for number in range(20):
                await bot.send_message(team["id"], f"news {number}")
                await asyncio.sleep(0.002)
            with pytest.raises(RetryAfter, match=r"Retry in (5\d|60) seconds"):
                await bot.send_message(team["id"], "one more")

    assert len(emulator.messages(team)) == 20


async def test_wait_for_message_returns_the_bots_answer(emulator, bot):
    alice = started_user(emulator)

    async def answer_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(alice["id"], "working on it")
        await bot.send_message(alice["id"], "your quote is ready")

    answering = asyncio.create_task(answer_later())
    ready = await emulator.wait_for_message(alice, lambda m: "quote" in m.text, timeout=2)
    await answering

    assert ready.text == "your quote is ready"
    with pytest.raises(TimeoutError):
        await emulator.wait_for_message(alice, lambda m: "never" in m.text, timeout=0.05)
