"""The benchmark runner finds every bench_*.py, prints a table and writes results/latest.json."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

import benchmarks.__main__ as runner


def test_discovers_every_benchmark_module() -> None:
    names = runner.discover()
    on_disk = sorted(p.stem.removeprefix("bench_") for p in Path(runner.HERE).glob("bench_*.py"))
    assert names == on_disk and "pages" in names


def test_runs_named_benchmarks_and_writes_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[bool] = []

    def run(quick: bool = False) -> dict:
        calls.append(quick)
        return {"seconds": 0.5, "nested": {"ratio": 2.0}}

    def broken(quick: bool = False) -> dict:
        raise ValueError("no data")

    monkeypatch.setitem(sys.modules, "benchmarks.bench_fake", types.SimpleNamespace(run=run))
    monkeypatch.setitem(sys.modules, "benchmarks.bench_broken", types.SimpleNamespace(run=broken))
    monkeypatch.setattr(runner, "discover", lambda: ["broken", "fake"])
    monkeypatch.setattr(runner, "RESULTS", tmp_path / "results")

    status = runner.main(["--quick", "fake", "broken"])

    assert status == 1  # one benchmark failed; the other still reported
    assert calls == [True]
    report = json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    assert report["quick"] is True
    assert report["benchmarks"]["fake"]["nested"] == {"ratio": 2.0}
    assert report["benchmarks"]["broken"]["error"] == "ValueError: no data"
    out = capsys.readouterr().out
    assert "nested.ratio" in out and "== fake" in out


def test_unknown_name_is_refused() -> None:
    with pytest.raises(SystemExit):
        runner.main(["no_such_benchmark"])
