"""The sandbox chat: typed lines become user actions, the bot's answers become readable lines."""

import asyncio
import builtins
import io
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.sandbox.chat import SANDBOX_HELP, SandboxChat
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.runner import run_sandbox

TOKEN = "123456789:TEST-token"
WELCOME = (
    "<b>Welcome</b> &lt;3\n"
    "<blockquote>Quoted line\nSecond line</blockquote>\n"
    'Browse <a href="https://1688.com">1688</a> or run <code>/quote 10</code>'
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    visits = context.bot_data["visits"] = context.bot_data.get("visits", 0) + 1
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="yes"),
                InlineKeyboardButton("No", callback_data="no"),
            ],
            [InlineKeyboardButton("Shop", url="https://1688.com")],
        ]
    )
    await update.effective_message.reply_text(f"{WELCOME} (visit {visits})", reply_markup=keyboard)


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"You chose {query.data}")
    await query.edit_message_text(f"Chosen: <i>{query.data}</i>")


async def send_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_document(
        b"x" * 2048, filename="quote.pdf", caption="Your <b>quote</b>"
    )


async def send_bad_html(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("Price < 10 yuan")


async def crash(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise RuntimeError("boom")


async def write_privately(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(update.effective_user.id, "psst")


async def delete_own_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    sent = await update.effective_message.reply_text("short-lived")
    await sent.delete()


async def ask_for_a_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("Which supplier?", reply_markup=ForceReply())


async def think_then_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await asyncio.sleep(0.5)  # like waiting on a translation service or a rate limiter
    await update.effective_message.reply_text("thought it over")


async def answer_from_a_job(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def answer(job_context: ContextTypes.DEFAULT_TYPE) -> None:
        await job_context.bot.send_message(update.effective_chat.id, "batched answer")

    context.job_queue.run_once(answer, 0.5)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    details = [f"lang={update.effective_user.language_code}"]
    if message.reply_to_message:
        details.append(f"reply to #{message.reply_to_message.message_id}")
    if message.forward_origin:
        details.append(f"forwarded from {message.forward_origin.sender_user_name}")
    if message.sticker:
        details.append("sticker")
    if message.photo:
        details.append("photo")
    text = message.text or message.caption or ""
    await message.reply_text(f"echo {text} ({', '.join(details)})")


async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.bot_data["errors"].append(context.error)


def build_test_bot(token: str, base_url: str, base_file_url: str) -> Application:
    application = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("doc", send_document))
    application.add_handler(CommandHandler("bad", send_bad_html))
    application.add_handler(CommandHandler("crash", crash))
    application.add_handler(CommandHandler("dm", write_privately))
    application.add_handler(CommandHandler("fleeting", delete_own_message))
    application.add_handler(CommandHandler("ask", ask_for_a_reply))
    application.add_handler(CommandHandler("think", think_then_answer))
    application.add_handler(CommandHandler("batch", answer_from_a_job))
    application.add_handler(CallbackQueryHandler(choose))
    application.add_handler(MessageHandler(~filters.StatusUpdate.ALL, echo))
    application.bot_data["errors"] = []
    application.add_error_handler(record_error)
    return application


@pytest.fixture
async def emulator():
    emulator = BotApiEmulator(TOKEN)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def chat(emulator):
    application = build_test_bot(TOKEN, emulator.base_url, emulator.base_file_url)
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        yield SandboxChat(emulator, quiet=0.1)
        await application.updater.stop()
        await application.stop()


async def test_text_goes_to_the_bot_as_you_and_the_answer_is_shown(chat):
    lines = await chat.send_line("hello there")

    assert lines == ["You: hello there", "Bot: echo hello there (lang=en)"]
    assert chat.transcript == lines
    assert chat.prompt == "you> "


async def test_bot_html_is_shown_as_readable_text_with_numbered_buttons(chat):
    lines = await chat.send_line("/start")

    assert lines == [
        "You: /start",
        "Bot: Welcome <3",
        "     │ Quoted line",
        "     │ Second line",
        "     Browse 1688 (https://1688.com) or run /quote 10 (visit 1)",
        "     [1] Yes  [2] No",
        "     [3] Shop (https://1688.com)",
    ]


async def test_a_number_presses_that_button_of_the_latest_keyboard(chat):
    await chat.send_line("/start")

    lines = await chat.send_line("2")

    assert lines == [
        "You pressed [2] No",
        "Bot (notice): You chose no",
        "Bot (edited): Chosen: no",
    ]


async def test_a_number_without_such_a_button_is_sent_as_text(chat):
    await chat.send_line("/start")

    beyond_keyboard = await chat.send_line("4")
    await chat.send_line("1")  # the edit after pressing removes the keyboard
    no_keyboard_left = await chat.send_line("1")

    assert beyond_keyboard[0] == "You: 4"
    assert no_keyboard_left[0] == "You: 1"


async def test_a_link_button_is_not_sent_to_the_bot(chat):
    await chat.send_line("/start")

    lines = await chat.send_line("3")

    assert lines == ["Sandbox: button [3] opens https://1688.com; the bot is not told"]


async def test_backslash_sends_the_rest_literally(chat):
    await chat.send_line("/start")

    number = await chat.send_line("\\2")
    command = await chat.send_line("\\/reset")

    assert number == ["You: 2", "Bot: echo 2 (lang=en)"]
    assert command == ["You: /reset", "Bot: echo /reset (lang=en)"]


async def test_as_switches_to_a_user_with_their_language(chat):
    switched = await chat.send_line("/as Li Wei zh")
    lines = await chat.send_line("你好")

    assert switched == ["Sandbox: you are now Li Wei (zh)"]
    assert chat.prompt == "Li Wei> "
    assert lines == ["You (Li Wei): 你好", "Bot: echo 你好 (lang=zh)"]


async def test_group_is_created_by_the_first_to_enter_and_hides_plain_text(chat, emulator):
    created = await chat.send_line("/group")
    plain = await chat.send_line("lunch?")
    command = await chat.send_line("/start")

    assert created == ['Sandbox: You created the group "Team" and added the bot']
    assert chat.prompt == "you @ Team> "
    assert plain[0] == "[Team] You: lunch?"
    assert plain[1].startswith("Sandbox: the bot does not see this message")
    assert command[:2] == ["[Team] You: /start", "[Team] Bot: Welcome <3"]
    assert list(emulator.members(chat.chat).values()) == ["creator"]


async def test_others_join_the_group_as_members(chat, emulator):
    await chat.send_line("/group Buyers")

    lines = await chat.send_line("/as Bob")

    assert lines == ['Sandbox: Bob joined "Buyers"', "Sandbox: you are now Bob (en)"]
    assert sorted(emulator.members(chat.chat).values()) == ["creator", "member"]


async def test_text_after_a_force_reply_question_answers_it_like_telegram_apps_do(chat):
    await chat.send_line("/group")
    await chat.send_line("/ask")

    answer = await chat.send_line("Yiwu Toys")
    later = await chat.send_line("lunch?")

    assert answer == [
        '[Team] You (replying to "Which supplier?"): Yiwu Toys',
        "[Team] Bot: echo Yiwu Toys (lang=en, reply to #3)",
    ]
    assert later[0] == "[Team] You: lunch?"


async def test_private_goes_back_to_the_current_users_chat(chat):
    await chat.send_line("/as Bob")
    await chat.send_line("/group")

    back = await chat.send_line("/private")
    lines = await chat.send_line("hi")

    assert back == ["Sandbox: you are in Bob's private chat with the bot"]
    assert lines == ["You (Bob): hi", "Bot: echo hi (lang=en)"]


async def test_reply_and_forward_reach_the_bot_as_such(chat):
    await chat.send_line("first")

    reply = await chat.send_line("/reply second")
    forward = await chat.send_line("/forward 价格 10 元")

    assert reply == [
        'You (replying to "echo first (lang=en)"): second',
        "Bot: echo second (lang=en, reply to #2)",
    ]
    assert forward == [
        "You forwarded from Supplier: 价格 10 元",
        "Bot: echo 价格 10 元 (lang=en, forwarded from Supplier)",
    ]


async def test_a_forwarded_answer_may_span_lines(chat):
    forward = await chat.send_line("/forward 1. 可以\\n2. 不退换")

    assert forward[-2:] == ["Bot: echo 1. 可以", "     2. 不退换 (lang=en, forwarded from Supplier)"]  # two lines


async def test_sticker_and_photo_are_sent(chat):
    sticker = await chat.send_line("/sticker")
    photo = await chat.send_line("/photo red one")

    assert sticker == ["You sent a sticker 🙂", "Bot: echo  (lang=en, sticker)"]
    assert photo == ["You sent a photo: red one", "Bot: echo red one (lang=en, photo)"]


async def test_documents_are_shown_with_name_size_and_caption(chat):
    lines = await chat.send_line("/doc")

    assert lines[1:] == [
        "Bot sent a document: quote.pdf (2.0 KB)",
        "                     Your quote",
    ]


async def test_messages_to_another_chat_are_labelled_with_it(chat):
    await chat.send_line("hi")
    await chat.send_line("/group")

    lines = await chat.send_line("/dm")

    assert lines == ["[Team] You: /dm", "[You] Bot: psst"]


async def test_deleted_messages_are_shown(chat):
    lines = await chat.send_line("/fleeting")

    assert lines[1:] == ["Bot: short-lived", "Bot (deleted): short-lived"]


async def test_refused_calls_show_up_as_problems(chat):
    lines = await chat.send_line("/bad")

    assert lines[1].startswith("Problem: sendMessage was refused: Bad Request: can't parse")
    assert chat.problems() == [lines[1].removeprefix("Problem: ")]


async def test_reset_runs_the_callback_and_reports_it(emulator):
    resets = []

    async def on_reset() -> str:
        resets.append(True)
        return "wiped"

    with_reset = SandboxChat(emulator, on_reset=on_reset)
    without_reset = SandboxChat(emulator)

    assert await with_reset.send_line("/reset") == ["Sandbox: wiped"]
    assert await without_reset.send_line("/reset") == ["Sandbox: /reset is not available here"]
    assert resets == [True]


async def test_sandbox_help_documents_every_sandbox_command(emulator):
    lines = await SandboxChat(emulator).send_line("/sandbox")

    assert lines == SANDBOX_HELP.split("\n")
    for command in ("/as", "/group", "/private", "/reset", "/sticker", "/photo", "/forward"):
        assert f"\n  {command} " in SANDBOX_HELP


# The runner, with the test bot standing in for the real application.


@dataclass(frozen=True)
class StandInSettings:
    telegram_token: str | None
    telegram_base_url: str
    telegram_base_file_url: str
    data_dir: Path
    database_url: str


def stand_in_settings(tmp_path: Path) -> StandInSettings:
    return StandInSettings(
        telegram_token=None,
        telegram_base_url="https://api.telegram.org/bot",
        telegram_base_file_url="https://api.telegram.org/file/bot",
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
    )


def build_from_settings(settings: StandInSettings) -> Application:
    return build_test_bot(
        settings.telegram_token, settings.telegram_base_url, settings.telegram_base_file_url
    )


async def run_script(tmp_path: Path, lines: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    status = await run_sandbox(
        stand_in_settings(tmp_path),
        script=lines,
        out=out,
        interactive=False,
        application_factory=build_from_settings,
    )
    return status, out.getvalue()


async def test_runner_plays_a_script_and_prints_the_transcript(tmp_path):
    status, output = await run_script(tmp_path, ["# a comment", "", "hello", "/start", "1"])

    assert status == 0
    lines = output.splitlines()
    assert lines[:2] == ["You: hello", "Bot: echo hello (lang=en)"]
    assert lines[-3:] == [
        "You pressed [1] Yes",
        "Bot (notice): You chose yes",
        "Bot (edited): Chosen: yes",
    ]


async def test_runner_waits_for_a_bot_that_is_busy_without_calling_telegram(tmp_path):
    status, output = await run_script(tmp_path, ["/think", "/batch", "hello"])

    assert status == 0
    assert output.splitlines() == [
        "You: /think",
        "Bot: thought it over",
        "You: /batch",
        "Bot: batched answer",
        "You: hello",
        "Bot: echo hello (lang=en)",
    ]


async def test_runner_fails_when_telegram_refused_a_call(tmp_path):
    status, output = await run_script(tmp_path, ["/bad"])

    assert status == 1
    assert "Problems:\n  sendMessage was refused: Bad Request: can't parse entities" in output


async def test_runner_fails_when_the_bots_error_handler_caught_an_error(tmp_path):
    status, output = await run_script(tmp_path, ["/crash"])

    assert status == 1
    assert output.splitlines()[:2] == [
        "You: /crash",
        "Problem: the bot's error handler caught: RuntimeError('boom')",
    ]
    assert "Problems:\n  the bot's error handler caught: RuntimeError('boom')" in output


async def test_runner_reset_wipes_the_sqlite_database_and_restarts_the_bot(tmp_path):
    database = tmp_path / "bot.db"
    with sqlite3.connect(database) as old:
        old.execute("CREATE TABLE old_data (x)")

    status, output = await run_script(tmp_path, ["/start", "/start", "/reset", "/start"])

    assert status == 0
    assert not database.exists()
    assert "Sandbox: the bot's database was wiped and the bot restarted" in output
    visits = [line.rsplit("(", 1)[1] for line in output.splitlines() if "(visit" in line]
    assert visits == ["visit 1)", "visit 2)", "visit 1)"]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_interactive_mode_prompts_and_quits(tmp_path, monkeypatch):
    typed = iter(["hi", "/group", "/quit", "never read"])
    prompts = []

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(builtins, "input", fake_input)
    out = io.StringIO()

    status = await run_sandbox(
        stand_in_settings(tmp_path),
        script=None,
        out=out,
        interactive=True,
        application_factory=build_from_settings,
    )

    assert status == 0
    assert prompts == ["you> ", "you> ", "you @ Team> "]
    assert "Bot: echo hi (lang=en)" in out.getvalue()


async def test_interactive_mode_ends_at_end_of_input(tmp_path, monkeypatch):
    def no_more_input(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(builtins, "input", no_more_input)

    status = await run_sandbox(
        stand_in_settings(tmp_path),
        script=None,
        out=io.StringIO(),
        interactive=True,
        application_factory=build_from_settings,
    )

    assert status == 0


async def test_piped_input_is_played_like_a_script(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("hello\n/bad\n"))
    out = io.StringIO()

    status = await run_sandbox(
        stand_in_settings(tmp_path),
        script=None,
        out=out,
        interactive=True,
        application_factory=build_from_settings,
    )

    assert status == 1
    assert out.getvalue().startswith("You: hello\nBot: echo hello (lang=en)\n")
