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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="real exports (default: tests/fixtures/real/*.xlsx)")
    args = parser.parse_args(argv)
    for path in args.files or sorted(REAL.glob("*.xlsx")):
        print(render(measure(path)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
