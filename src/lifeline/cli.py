"""The ``lifeline`` command.

``lifeline serve`` migrates the database and runs gunicorn (and the intake inbox's drainer
beside it); every other sub-command is a Django
management command (``lifeline demo``, ``lifeline createuser``, ``lifeline audit verify``,
``lifeline keys generate``, ``lifeline migrate`` …).
"""

import argparse
import os
import subprocess  # nosec B404 - starts the inbox drainer, our own command
import sys


def serve_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="lifeline serve", description="Migrate, then serve Lifeline with gunicorn."
    )
    parser.add_argument("--host", default=os.environ.get("LIFELINE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LIFELINE_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LIFELINE_WORKERS", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("LIFELINE_THREADS", "4")))
    parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    # Off unless asked for: a line per request would record when each call for help came in.
    parser.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=os.environ.get("LIFELINE_ACCESS_LOG", "off").lower() in {"on", "1", "true", "yes"},
        help="log one line per request to standard output (default: LIFELINE_ACCESS_LOG, off)",
    )
    return parser.parse_args(argv)


def serve(argv: list[str]) -> None:
    args = serve_arguments(argv)

    import django
    from django.core.management import call_command

    django.setup()
    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)

    from django.core.handlers.wsgi import WSGIHandler
    from gunicorn.app.base import BaseApplication

    from lifeline.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            if args.access_log:
                self.cfg.set("accesslog", "-")
                # Paths with uuids only, never query strings with names or phones.
                self.cfg.set("access_log_format", '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms')
            self.cfg.set("timeout", 60)

        def load(self) -> WSGIHandler:
            return application

    if os.environ.get("LIFELINE_SCHEDULER", "on").lower() not in {"off", "0", "false", "no"}:
        # Daily tasks (retention) are queued from the serving process; see privacy/scheduler.py.
        from lifeline.privacy import scheduler

        scheduler.start()
    # Public submissions are acknowledged from the durable inbox and made into requests behind
    # (lifeline.intake.inbox): the workers forked below commit in groups, and a process of its
    # own drains, so that no thread of this one is running when gunicorn forks.
    from django.db import connections

    from lifeline.intake import inbox

    inbox.start_background(drainer=False)
    connections.close_all()
    drainer = subprocess.Popen(  # noqa: S603 - our own command  # nosec B603
        [sys.executable, "-m", "lifeline.cli", "intake", "drain", "--follow"]
    )
    print(f"Lifeline is serving on http://{args.host}:{args.port}/ (Ctrl+C stops it)", flush=True)
    try:
        Server().run()
    finally:
        drainer.terminate()
        drainer.wait(timeout=15)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        if args and args[0] == "serve":
            serve(args[1:])
            return
        from django.core.management import execute_from_command_line

        execute_from_command_line(["lifeline", *args])
    except ImproperlyConfigured as exc:
        # A missing key or secret is the operator's to fix: say what, without a traceback.
        print(f"lifeline: cannot start: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
