"""Subcommands of ``python -m analytics``; each module is one command (see analytics/cli.py)."""
