"""Where the rows come from: the synthetic demo, real imports, or both.

The one rule behind every 演示数据 label — the UI banner and sidebar badge, chart titles, the deck,
the report, the shortlist and disclosure workbooks. A complaint is demo data when its batch was
written by the demo generator (``batches.source = 'demo'``); anything imported is real. A database
can hold both (a real export imported into the demo database), so the label says the share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.store.stages import reads

DEMO_BATCH_SOURCE = "demo"  # batches.source of the batch analytics/demo/build.py writes
DEMO_LABEL = "演示数据"


@dataclass(frozen=True)
class Provenance:
    demo_rows: int
    real_rows: int

    @property
    def has_demo(self) -> bool:
        return self.demo_rows > 0

    @property
    def demo_share(self) -> float:
        total = self.demo_rows + self.real_rows
        return self.demo_rows / total if total else 0.0

    @property
    def mark(self) -> str:
        """'' for real data only, 演示数据 for demo only, else 含演示数据 N% (never rounds to 0 or 100)."""
        if not self.has_demo:
            return ""
        if not self.real_rows:
            return DEMO_LABEL
        pct = min(max(round(self.demo_share * 100), 1), 99)
        return f"含{DEMO_LABEL} {pct}%"

    def titled(self, title: str) -> str:
        """A file, slide or sheet title with the mark in front: 【演示数据】清远市消费投诉热点分析简报."""
        return f"【{self.mark}】{title}" if self.mark else title

    def source(self, real_source: str) -> str:
        """The 数据来源 line: the channels for real data, the demo named first when there is any."""
        if not self.has_demo:
            return real_source
        if not self.real_rows:
            return f"{DEMO_LABEL}（合成，不代表真实投诉情况）"
        return f"{self.mark}（合成）；其余为 {real_source}"

    def sheet_name(self, name: str) -> str:
        """A worksheet's tab name, 演示数据-热点问题表 when there is demo data (Excel allows 31 chars)."""
        return (f"{DEMO_LABEL}-{name}" if self.has_demo else name)[:31]

    def mark_sheet(self, ws: Any) -> None:
        """Print the mark in the header of every printed page of an openpyxl worksheet."""
        if self.mark:
            ws.oddHeader.center.text = ws.evenHeader.center.text = self.mark
            ws.sheet_properties.tabColor = "E67E22"

    def csv_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A CSV has no title: with demo data a first column says so in its header and on every row."""
        if not self.has_demo:
            return frame
        column = f"数据性质：{self.mark}"  # in the header too, so an empty file says it
        return frame.assign(**{column: self.mark})[[column, *frame.columns]]

    def banner(self) -> str:
        """The UI's one-line explanation, '' for real data only."""
        if not self.has_demo:
            return ""
        if not self.real_rows:
            return "当前显示的是合成的演示数据，不代表真实投诉情况。"
        return (
            f"当前显示的 {self.demo_rows + self.real_rows:,} 条投诉中 {self.demo_rows:,} 条是合成的演示数据"
            f"（{self.demo_share:.0%}），{self.real_rows:,} 条是导入的真实数据。"
        )


NO_DEMO = Provenance(0, 0)  # the default of writers given no provenance: the file carries no mark


@reads("complaints")
def provenance(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> Provenance:
    """Demo and real complaints among those ``filters`` select (all complaints without filters)."""
    where, params = (filters or Filters()).where("c")
    demo, real = con.execute(
        f"""
        SELECT count(*) FILTER (WHERE b.source = $demo), count(*) FILTER (WHERE b.source IS DISTINCT FROM $demo)
        FROM complaints c LEFT JOIN batches b USING (batch_id)
        WHERE {where}
        """,
        {**params, "demo": DEMO_BATCH_SOURCE},
    ).fetchone()
    return Provenance(int(demo), int(real))
