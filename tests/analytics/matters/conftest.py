"""The import tests' in-process CLI runner, for the matters command."""

from tests.analytics.ingest.conftest import run_cli

__all__ = ["run_cli"]
