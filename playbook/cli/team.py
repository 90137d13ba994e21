"""`playbook sync` (a laptop's store and the team's server hold the same sessions and accounts)
and `playbook team init` (the team admin sets up the server's tables and the reps' role)."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, EXIT_PROBLEMS, with_db

TEAM_DB_HELP = "the team's database, postgresql://USER@HOST/DB (default: $PLAYBOOK_TEAM_DB, or team_db in the config file)"


def register(commands: argparse._SubParsersAction) -> None:
    syncing = commands.add_parser("sync", help="send this laptop's new sessions and accounts to the team's server, and receive the team's")
    syncing.add_argument("--to", metavar="URL", help=TEAM_DB_HELP)
    with_db(syncing)
    syncing.set_defaults(func=cmd_sync)

    team = commands.add_parser("team", help="set up a team's PostgreSQL server (for its admin)")
    team_commands = team.add_subparsers(dest="team_command", metavar="ACTION")
    init = team_commands.add_parser("init", help="create or upgrade the tables on the server, and give the reps' role its rights")
    init.add_argument("url", metavar="URL", help="the server, as a role that may create tables: postgresql://ADMIN@HOST/DB")
    init.add_argument("--grant", metavar="ROLE", help="the reps' role to give the rights the app needs (and only those)")
    init.set_defaults(func=cmd_team_init)
    team.set_defaults(func=lambda args: (team.print_help(), 2)[1])


def _team_location(args: argparse.Namespace) -> str | None:
    from ..store.identity import configured_team_db

    return args.to or configured_team_db() or None


def cmd_sync(args: argparse.Namespace) -> int:
    from ..store.identity import config_path
    from ..store.location import is_server, resolve, shown
    from ..store.sqlite import Store
    from ..store.sync import sync
    from ..textsafety import printable

    target = _team_location(args)
    if not target:
        print(f"error: no team database: give --to postgresql://USER@HOST/DB, or team_db in {config_path()}", file=sys.stderr)
        return EXIT_PROBLEMS
    local = resolve(args.db)
    if is_server(local):
        print(f"error: --db {shown(local)} is a server; sync copies a laptop's store (a file) to the team's", file=sys.stderr)
        return EXIT_PROBLEMS
    with Store.open(local) as mine, Store.open(target) as team:
        report = sync(mine, team, shown=lambda text: printable(text, one_line=True))
    print(f"synced {shown(local)} with {shown(target)}")
    for line in report.lines():
        print(line)
    return EXIT_OK


def cmd_team_init(args: argparse.Namespace) -> int:
    from ..store.location import is_server, shown
    from ..store.sqlite import SCHEMA_VERSION, Store

    if not is_server(args.url):
        print("error: team init sets up a PostgreSQL server: give postgresql://ADMIN@HOST/DB", file=sys.stderr)
        return EXIT_PROBLEMS
    with Store.open(args.url) as store:  # opening migrates: the tables are created or brought up to date
        if args.grant:
            from ..store.postgres import grant

            grant(store._db, args.grant)
    print(f"{shown(args.url)}: playbook tables at schema {SCHEMA_VERSION}"
          + (f"; role {args.grant} may read and add sessions, events and accounts" if args.grant else ""))
    return EXIT_OK
