"""`playbook serve`: the meeting app in a browser, for reps who never open a terminal.

textual-serve runs one `playbook run` per browser tab. It has no authentication, so it listens on
the loopback address unless told otherwise; any other address needs `--public`, and the server
then says once that the page must sit behind a reverse proxy that asks for a password.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from ..i18n import _
from .common import DB_HELP, EXIT_PROBLEMS, EXIT_USAGE, PLAYBOOK_HELP, load_or_report, with_db

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="serve the meeting app to a web browser",
                                description="Serve the meeting app to a web browser: each tab runs its own `playbook run`.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only; any other needs --public)")
    serve.add_argument("--port", type=_port, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    with_db(serve, DB_HELP + "; every tab shares it")
    serve.add_argument("--public", action="store_true",
                       help="allow an address other than loopback; put an authenticating reverse proxy in front")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address browsers use when a reverse proxy is in front (e.g. https://playbook.example.com)")
    serve.set_defaults(func=cmd_serve)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {port}")
    return port


def is_loopback(host: str) -> bool:
    """True for an address (or the usual names) that only this machine can reach."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_problem(host: str, public: bool) -> str | None:
    """Why listening on `host` is refused, or None when it is allowed."""
    if is_loopback(host) or public:
        return None
    return _("refusing to listen on {host}: the served app has no password, so anyone who can reach the address "
             "could open every meeting; use --public once an authenticating reverse proxy is in front "
             "(see the README, `playbook serve`)").format(host=host)


def public_warning(host: str) -> str:
    return _("warning: listening on {host}, reachable from other machines: the page must sit behind a reverse proxy "
             "that asks for a password (see the README, `playbook serve`)").format(host=host)


def cmd_serve(args: argparse.Namespace) -> int:
    problem = bind_problem(args.host, args.public)
    if problem is not None:
        print(f"playbook serve: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    # A broken playbook or an unusable store is said here, once, not in every browser tab.
    if load_or_report(args.playbook) is None:
        return EXIT_PROBLEMS
    from ..store.sqlite import Store

    Store.open(args.db).close()  # a StoreError here is reported by main() with a clear message
    try:
        from tui.serve import PlaybookServer, app_command
    except ImportError as missing:
        print(_("playbook serve: error: {missing}; install the serve extra: pip install 'playbook[serve]'")
              .format(missing=missing), file=sys.stderr)
        return EXIT_PROBLEMS
    if not is_loopback(args.host):
        print(public_warning(args.host), file=sys.stderr, flush=True)

    host = args.host.strip("[]")  # an IPv6 address may be written [::1]
    here = f"http://{host if ':' not in host else f'[{host}]'}:{args.port}"

    def announce() -> None:
        if args.public_url:
            print(_("Serving the meeting app on {here}, for browsers at {url} (Ctrl+C stops)")
                  .format(here=here, url=args.public_url), flush=True)
        else:
            print(_("Serving the meeting app at {url} (Ctrl+C stops)").format(url=here), flush=True)

    playbook = os.path.abspath(args.playbook) if args.playbook and os.path.exists(args.playbook) else args.playbook
    db = os.path.abspath(args.db) if args.db else None
    server = PlaybookServer(app_command(db, playbook), host, args.port, public_url=args.public_url, announce=announce)
    try:
        server.serve()
    except OSError as error:
        print(_("playbook serve: error: cannot listen on {host}:{port}: {reason}")
              .format(host=args.host, port=args.port, reason=error.strerror or error), file=sys.stderr)
        return EXIT_PROBLEMS
    return 0
