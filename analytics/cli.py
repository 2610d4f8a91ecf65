"""``python -m analytics``: one subcommand per module in ``analytics/commands``.

A command module defines ``NAME``, ``HELP``, ``ORDER`` (position in --help), ``add_arguments(parser)``
and ``run(args) -> int``. Adding a command is adding a module; nothing here changes.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from analytics import commands
from analytics.errors import UserError


def _command_modules() -> list[ModuleType]:
    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics",
        description="Complaint-hotspot analytics: import exports, find topics and hotspots, report.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        # argparse %-formats help strings; a literal "98%" must not break --help.
        cmd = sub.add_parser(module.NAME, help=module.HELP.replace("%", "%%"), description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except UserError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        sys.stderr.close()
        return 0
    except Exception as exc:
        # A damaged database file or a lock held outside our turn-taking is the user's to fix,
        # not a bug: one line, no traceback. Anything else is a bug and keeps its traceback.
        from analytics.store import explain_database_error

        known = explain_database_error(exc, getattr(args, "db", None))
        if known is None:
            raise
        print(f"error: {known.message}", file=sys.stderr)
        return known.exit_code
