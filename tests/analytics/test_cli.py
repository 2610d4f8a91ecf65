from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.cli import build_parser, main

EXPECTED_COMMANDS = {"demo", "info"}


def test_help_lists_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in EXPECTED_COMMANDS:
        assert name in out


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, cmd in sub.choices.items():
        assert cmd.description, name


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().out


def test_info_json_on_demo(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--db", str(demo_db), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["complaints"] == info["tables"]["complaints"] > 0
    assert sum(info["per_source"].values()) == info["complaints"]
    assert sum(info["per_county"].values()) == info["complaints"]
    assert set(info["per_year"]) == {"2021", "2022", "2023", "2024", "2025"}
    assert info["date_range"]["from"].startswith("2021-01")
    assert info["is_demo"] is True


def test_unreadable_database_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"this is not a database" * 100)
    assert main(["info", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


def test_parsing_arguments_loads_no_engine() -> None:
    """`python -m analytics --help` (and every command's start) stays quick: command modules import
    their engines inside ``run``, not at module level."""
    import subprocess
    import sys

    code = (
        "import sys; from analytics.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'sklearn', 'jieba', 'plotly') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_spelled_out_choices_match_the_engines() -> None:
    from analytics import timeliness
    from analytics.commands import import_
    from analytics.commands import timeliness as timeliness_command
    from analytics.ingest import DEFAULT_SOURCE

    assert import_.DEFAULT_SOURCE_NAME == DEFAULT_SOURCE
    assert set(timeliness_command.BREAKDOWNS) == set(timeliness.DIMENSIONS)
