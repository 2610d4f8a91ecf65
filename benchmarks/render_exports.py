"""Render every export of a period as an analyst would open it, to look at (optional, not a test).

    python -m benchmarks.render_exports --db /tmp/x/demo.duckdb --period 2024 --out /tmp/x/exports

Writes the deck (.pptx) and the report (.docx) with the same call as the 导出 page and the
``report`` command, converts both to PDF with LibreOffice (``soffice``) and each page to a PNG with
poppler's ``pdftoppm``; the PNGs are what the deck and report look like printed or projected. The
xlsx files (热点问题表, 投诉公示) are not rendered: open them in Excel/WPS or read them with openpyxl.
Needs ``apt-get install libreoffice-impress libreoffice-writer poppler-utils``; the test suite never
does (a fresh CI machine has neither). What was looked at and found is in docs/exports.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

from analytics.exporting.build import build_export
from analytics.periods import parse_period
from analytics.store import connect


def render(db: str, period_key: str, out: Path, dpi: int = 80) -> list[Path]:
    """The PNG pages of the period's deck and report, in ``out``."""
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        packages = "libreoffice-impress libreoffice-writer poppler-utils"
        raise SystemExit(f"需要 {'、'.join(missing)}：apt-get install {packages}")
    out.mkdir(parents=True, exist_ok=True)
    period = parse_period(period_key)
    con = connect(db)  # prepare: topics are brought up to date first, as the report command does
    try:
        files = []
        for fmt, name in (("pptx", "简报"), ("docx", "分析报告")):
            path = out / f"{period.key}_{name}.{fmt}"
            path.write_bytes(build_export(con, period, fmt, prepare=True))
            files.append(path)
    finally:
        con.close()
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        check=True,
        capture_output=True,
    )
    pages = []
    for path in files:
        pdf = path.with_suffix(".pdf")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(path.with_suffix(""))], check=True)
        pages += sorted(out.glob(f"{path.stem}-*.png"))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="DuckDB database (a private copy: topics are computed if missing)")
    parser.add_argument("--period", default="2024", help="2024, 2024Q3, 2024-05, 2024-双十一 …")
    parser.add_argument("--out", required=True, type=Path, help="folder for the files, PDFs and PNG pages")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    for page in render(args.db, args.period, args.out, args.dpi):
        print(page)


if __name__ == "__main__":
    main()
