"""``python -m benchmarks.quality [FILE ...]``: the real-data scorecard (default: every real export
in tests/fixtures/real), as Markdown; docs/quality.md records its output."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.quality.scorecard import Scorecard, measure

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


def render(card: Scorecard) -> str:
    lines = [f"## {card.name} ({card.rows:,} messages)", ""]
    if card.nmi:
        lines += ["Topics, NMI against the export's categories (mean of 5 seeds, lowest in brackets):", ""]
        lines += ["| method | NMI |", "|---|---|"]
        for method, value in card.nmi.items():
            low = card.nmi_min.get(method)
            lines.append(f"| {method} | {value:.3f}" + (f" ({low:.3f})" if low is not None else "") + " |")
        lines.append("")
    for title, frame in (("Engine's top events", card.events), ("Baseline's top events", card.baseline_events)):
        lines += [f"{title} (entity share: members naming the event's main entity):", ""]
        lines += ["| # | size | days | label | entity | share |", "|---|---|---|---|---|---|"]
        for r in frame.itertuples():
            lines.append(f"| {r.rank} | {r.size} | {r.span_days} | {r.label} | {r.entity} | {r.entity_share:.2f} |")
        lines.append("")
    lines += [f"Topic labels ({len(card.topic_labels)}): " + " / ".join(card.topic_labels), ""]
    bad = "; ".join(f"{label}: {', '.join(p)}" for label, p in card.bad_labels.items()) or "none"
    lines += [f"Label problems: {bad}", ""]
    return "\n".join(lines)


def render_demo(db: Path, year: int) -> str:
    """The demo's top 15 topic labels and top 10 event labels of ``year``, for the label review."""
    from analytics.hotspots.events import rank_events
    from analytics.store import connect
    from analytics.topics import ensure_topics

    with connect(db) as con:
        run = ensure_topics(con)
        topics = [
            r[0]
            for r in con.execute(
                "SELECT label FROM topics WHERE run_id = ? AND level = 'issue' ORDER BY size DESC LIMIT 15", [run]
            ).fetchall()
        ]
        events = rank_events(con, year=year, top=10)
    lines = [f"## Demo ({db.name}), labels for review", "", "Top 15 topic labels (all data): " + " / ".join(topics), ""]
    lines += [f"Top 10 event hotspots of {year}:", "", "| # | size | days | label |", "|---|---|---|---|"]
    lines += [f"| {r.rank} | {r.size} | {r.span_days} | {r.label} |" for r in events.itertuples()]
    return "\n".join([*lines, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="real exports (default: tests/fixtures/real/*.xlsx)")
    parser.add_argument("--demo", type=Path, help="also list the labels of this demo database")
    parser.add_argument("--year", type=int, default=2024, help="the demo year whose events are listed")
    args = parser.parse_args(argv)
    for path in args.files or sorted(REAL.glob("*.xlsx")):
        print(render(measure(path)), flush=True)
    if args.demo:
        print(render_demo(args.demo, args.year), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
