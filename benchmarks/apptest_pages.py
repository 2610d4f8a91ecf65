"""What the page benchmarks share: cached demo databases under benchmarks/.work/ and the two page
scripts AppTest runs (a page inside the app's frame, and the trivial baseline page).

AppTest.from_function runs a function's source as a script, so the page functions import what they
use inside their bodies.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"


def run_child(module: str, db: Path) -> dict[str, Any]:
    """``python -m module --child db`` (a fresh process, so its CPU time and memory are the pages'
    own) and the JSON it prints on its last line."""
    proc = subprocess.run(
        [sys.executable, "-m", module, "--child", str(db)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{module} child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cached_demo(name: str, rows: int, seed: int, *, topics: bool = False) -> Path:
    """``benchmarks/.work/<name>.duckdb``: a demo of ``rows`` complaints from ``seed`` (with its topic
    run when ``topics``), built once and reused; a build that stops half-way leaves no file behind."""
    path = WORK / f"{name}.duckdb"
    if not path.exists():
        from analytics.demo import build_demo

        WORK.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        build_demo(partial, rows=rows, seed=seed, topics=topics)
        partial.rename(path)
    return path


def framed_page(page: str) -> None:
    """A page as the app runs it: the frame (sidebar, filter bar), then the page script."""
    import runpy

    from ui.frame import render_frame

    render_frame()
    runpy.run_path(page, run_name="__page__")


def trivial_page() -> None:
    """The baseline: a title, three metrics and a 20-point chart."""
    import plotly.graph_objects as go
    import streamlit as st

    st.title("基线")
    for i, column in enumerate(st.columns(3)):
        column.metric(f"指标{i}", f"{i * 1000:,}")
    st.plotly_chart(go.Figure(go.Scatter(x=list(range(20)), y=list(range(20)))))
