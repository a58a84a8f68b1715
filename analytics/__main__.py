"""Dashboard commands:

python -m analytics create-admin NAME    add an administrator (asks for the password, or reads it
                                         from standard input with --password-stdin)
python -m analytics sync [--follow]      bring the analytics turns up to date now; with --follow,
                                         keep them up to date (every ANALYTICS_SYNC_EVERY_S seconds)
                                         and delete expired chats every few hours: the analytics
                                         worker, which the launcher starts beside the web app
python -m analytics purge [--months N]   delete chats older than the retention period
                                         (RETENTION_MONTHS, default 12)
python -m analytics forget CHAT_ID       delete one chat (its events and everything derived from them)
"""

from __future__ import annotations

import argparse
import getpass
import sys

import settings
from analytics import accounts, retention, worker
from analytics.sync import conversations_engine, sync_turns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="add an administrator to the dashboard")
    admin.add_argument("username")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sync = commands.add_parser("sync", help="derive the analytics turns from new conversation events")
    sync.add_argument("--follow", action="store_true", help="keep going: the analytics worker")
    purge = commands.add_parser("purge", help="delete chats older than the retention period")
    purge.add_argument("--months", type=int, help="override RETENTION_MONTHS for this run")
    forget = commands.add_parser("forget", help="delete one chat by its chat id (sender id)")
    forget.add_argument("chat_id")
    args = parser.parse_args(argv)
    try:
        config = settings.Config.from_env()
    except settings.ConfigError as problem:
        print(problem, file=sys.stderr)
        return 2
    engine = conversations_engine(config.conversations_url())
    if args.command == "sync" and args.follow:
        worker.follow(engine, config.analytics_sync_every_s, config.retention_months)
        return 0
    if args.command == "sync":
        print(f"{sync_turns(engine)} new turns")
        return 0
    if args.command == "purge":
        if args.months is not None and args.months < 1:
            print("--months must be 1 or more; nothing was deleted.", file=sys.stderr)
            return 1
        months = args.months or config.retention_months
        print(f"Deleted {retention.delete_expired(engine, months)} chats older than {months} months.")
        return 0
    if args.command == "forget":
        if retention.delete_chat(engine, args.chat_id) == 0:
            print("No chat with that id is stored; nothing was deleted.", file=sys.stderr)
            return 1
        print("Deleted that chat and everything derived from it.")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (at least 10 characters): ")
        if getpass.getpass("The same password again: ") != password:
            print("The passwords don't match; nothing was changed.", file=sys.stderr)
            return 1
    try:
        account = accounts.create_user(engine, args.username, password, "admin")
    except accounts.AccountError as problem:
        print(f"Not created: {problem}.", file=sys.stderr)
        return 1
    print(f"Created administrator {account.username}. Sign in at /dashboard on the web app.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
