"""The `sourcing-bot` command: argument parsing only; the work is done elsewhere."""

from __future__ import annotations

import argparse
import asyncio
import sys
from importlib.metadata import version

from bot.config import ConfigError, load_settings

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sourcing-bot",
        description="Sourcing Bot: buy from 1688.com suppliers without speaking Chinese. "
        "With no command: runs the bot when TELEGRAM_BOT_TOKEN is set, otherwise opens the sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('sourcing-bot')}")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the bot (polling, or a webhook when WEBHOOK_URL is set)")
    sandbox = commands.add_parser("sandbox", help="chat with the bot in the terminal through a local Bot API emulator")
    sandbox.add_argument("--script", metavar="FILE", help="replay one user line per line, print the transcript, exit")
    db = commands.add_parser("db", help="database commands")
    db.add_argument("action", choices=["upgrade"], help="apply pending migrations")
    extract = commands.add_parser("extract", help="read a supplier reply on stdin, print its facts as JSON")
    extract.add_argument("--jsonl", action="store_true", help="one JSON string per input line, one object per output line")
    commands.add_parser("landed-cost", help="read one JSON object of quote inputs on stdin, print its landed cost as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "extract":
        from bot.extraction.cli import run_extract

        return run_extract(sys.stdin, sys.stdout, jsonl=args.jsonl)
    if args.command == "landed-cost":
        from bot.landed_cost_cli import run_landed_cost

        return run_landed_cost(sys.stdin, sys.stdout, sys.stderr)
    try:
        settings = load_settings()
        if args.command == "run" and not settings.telegram_token:
            raise ConfigError("TELEGRAM_BOT_TOKEN", "required for `sourcing-bot run` (get one from @BotFather)")
        from bot import runtime

        if args.command == "db":
            return asyncio.run(runtime.upgrade_database(settings))
        if args.command == "sandbox" or (args.command is None and not settings.telegram_token):
            return runtime.run_sandbox(settings, script=args.script if args.command == "sandbox" else None)
        return runtime.run_bot(settings)
    except ConfigError as error:
        print(f"sourcing-bot: {error.setting}: {error.problem}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
