"""``python -m benchmarks [--quick] [NAME ...]``: run every ``benchmarks/bench_*.py``.

Each module exposes ``run(quick: bool = False) -> dict`` and measures against a baseline taken in
the same process (its dict holds ratios). This runner prints one table per benchmark and writes
everything to ``benchmarks/results/latest.json``. ``NAME`` limits the run to ``bench_NAME.py``.
A benchmark that fails is reported as such; the others still run; the exit status is 1 then.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def discover() -> list[str]:
    """Names of the benchmark modules (``bench_pages.py`` -> ``pages``), sorted."""
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def _flatten(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, dict):
            rows.extend(_flatten(value, f"{prefix}{key}."))
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


def _table(name: str, result: dict[str, Any]) -> str:
    rows = _flatten(result)
    width = max((len(k) for k, _ in rows), default=10)
    lines = [f"== {name} " + "=" * max(0, width + 20 - len(name))]
    lines += [f"  {key:<{width}}  {value}" for key, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a fast check")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(discover())})")
    args = parser.parse_args(argv)
    available = discover()
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(available)}")
    names = args.names or available

    report: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "benchmarks": {},
    }
    failed = False
    for name in names:
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
            result = dict(module.run(quick=args.quick))
            result["wall_s"] = round(time.perf_counter() - started, 1)
        except Exception as exc:  # one broken benchmark must not hide the others' numbers
            failed = True
            result = {"error": f"{type(exc).__name__}: {exc}", "wall_s": round(time.perf_counter() - started, 1)}
            traceback.print_exc(file=sys.stderr)
        report["benchmarks"][name] = result
        print(_table(name, result), flush=True)

    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "latest.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(f"\nwritten: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
