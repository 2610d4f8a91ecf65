"""Read export files as streams of text rows: CSV/TSV/TXT in any common Chinese encoding, .xlsx,
.xls and other workbooks (every sheet), without loading a large file whole.

A reader yields ``(row_number, cells)``: the row number the analyst sees in the file (Excel row,
or the CSV line the record starts on) and the cells as text (None or '' when empty). Values are not
cleaned here; dates in Excel cells become ISO text, integral numbers lose their ".0".
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import python_calamine

from analytics.errors import UserError
from analytics.ingest.csv_records import records

SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_SAMPLE_BYTES = 1 << 20
DELIMITER_NAMES = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}  # tried in this order
# A CSV cell may be this long before the csv module refuses it; the pipeline quarantines rows
# with cells over its own, much smaller, limit.
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)

Row = tuple[int, list[str | None]]


@dataclass
class RawTable:
    """One sheet of a workbook, or one delimited text file."""

    file_name: str
    sheet: str | None
    rows: Iterator[Row]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


class ReadError(UserError):
    """The file cannot be read at all."""


def cell_text(value: object) -> str | None:
    """A spreadsheet cell as text: '' -> None, 24.0 -> '24', datetimes as ISO text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _magic(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)


def open_tables(
    path: Path, *, sheet: str | None = None, display_name: str | None = None, encoding: str | None = None
) -> list[RawTable]:
    """The tables in ``path``: one per sheet of a workbook, one for a text file (read as
    ``encoding`` when given, else detected)."""
    name = display_name or path.name
    if not path.exists():
        raise ReadError(f"{name}: file not found", zh=f"{name}：文件不存在")
    if path.stat().st_size == 0:
        raise ReadError(f"{name}: the file is empty", zh=f"{name}：文件是空的")
    magic = _magic(path)
    # Content decides, not the extension: exports are often misnamed (.xls that is really HTML/CSV).
    is_zip = magic.startswith(b"PK\x03\x04")
    is_ole = magic.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if is_zip or is_ole:
        return _workbook_tables(path, name, sheet)
    if _looks_like_html(path):
        # Many government systems "export to Excel" as an HTML table named .xls.
        return _html_tables(path, name, sheet)
    if path.suffix.lower() in SPREADSHEET_EXTENSIONS and _looks_binary(path):
        raise ReadError(
            f"{name}: not a valid spreadsheet (the file is neither .xlsx nor .xls inside)",
            zh=f"{name}：不是有效的 Excel 文件（文件内容已损坏或并非表格）",
        )
    if sheet is not None:
        raise ReadError(f"{name}: --sheet only applies to workbooks", zh=f"{name}：只有 Excel 文件才能选择工作表")
    return [_text_table(path, name, encoding)]


def _looks_binary(path: Path) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(8192)
    return b"\x00" in sample or _guess_encoding(sample) is None


# ---------------------------------------------------------------- workbooks


def _workbook_tables(path: Path, name: str, sheet: str | None) -> list[RawTable]:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises several types for broken zips/OLE files
        raise ReadError(
            f"{name}: cannot open the workbook ({exc}); the file may be truncated or damaged",
            zh=f"{name}：无法打开 Excel 文件（{exc}），文件可能不完整或已损坏",
        ) from exc
    if sheet is not None:
        if sheet not in names:
            raise ReadError(
                f"{name}: no sheet {sheet!r}; sheets: {', '.join(names)}",
                zh=f"{name}：没有名为 {sheet} 的工作表；现有：{'、'.join(names)}",
            )
        names = [sheet]
    return [RawTable(name, s, _sheet_rows(book, name, s)) for s in names]


def _sheet_rows(book: python_calamine.CalamineWorkbook, name: str, sheet: str) -> Iterator[Row]:
    try:
        data = book.get_sheet_by_name(sheet)
        first_row = data.start[0] if data.start else 0
        rows = data.iter_rows()
        for i, cells in enumerate(rows):
            values = [cell_text(c) for c in cells]
            if any(v is not None and v.strip() for v in values):
                yield first_row + i + 1, values
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(
            f"{name} [{sheet}]: cannot read the sheet ({exc}); the file may be truncated or damaged",
            zh=f"{name}［{sheet}］：无法读取工作表（{exc}），文件可能不完整或已损坏",
        ) from exc


# ---------------------------------------------------------------- HTML tables saved as .xls


def _looks_like_html(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4096)
    encoding = _guess_encoding(head) or "latin-1"
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n").lower()
    return text.startswith(("<html", "<!doctype html", "<table", "<?xml")) and "<table" in text


def _html_tables(path: Path, name: str, sheet: str | None) -> list[RawTable]:
    import lxml.html

    try:
        with path.open("rb") as fh:
            encoding = _guess_encoding(fh.read(_SAMPLE_BYTES)) or "utf-8"
        parser = lxml.html.HTMLParser(encoding={"utf-8-sig": "utf-8"}.get(encoding, encoding))
        doc = lxml.html.parse(str(path), parser).getroot()
        tables = doc.xpath("//table") if doc is not None else []
    except Exception as exc:  # lxml raises several types for broken markup
        raise ReadError(f"{name}: cannot read the HTML table ({exc})", zh=f"{name}：无法读取网页表格（{exc}）") from exc
    names = [f"表{i + 1}" for i in range(len(tables))]
    if sheet is not None:
        if sheet not in names:
            raise ReadError(f"{name}: no table {sheet!r}; tables: {', '.join(names)}", zh=f"{name}：没有 {sheet}")
        tables, names = [tables[names.index(sheet)]], [sheet]
    out = []
    for label, table in zip(names, tables, strict=True):
        rows: list[Row] = []
        for i, tr in enumerate(table.xpath(".//tr"), start=1):
            cells = [c.text_content() or None for c in tr.xpath("./td|./th")]
            if any(c and c.strip() for c in cells):
                rows.append((i, cells))
        out.append(RawTable(name, label if len(names) > 1 else None, iter(rows)))
    return out


# ---------------------------------------------------------------- delimited text


# Encodings tried, in order, on a text file without a byte-order mark (and named in the message
# when none fits); --encoding names any other Python codec.
TRIED_ENCODINGS = ("utf-8", "gb18030", "big5")
ENCODING_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gb18030": "GBK/GB18030", "big5": "Big5"}


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        # final=False: a sample cut in the middle of a character is not an error.
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _guess_encoding(sample: bytes) -> str | None:
    """utf-8-sig / utf-16 by BOM, else UTF-8, else GB18030 or Big5.

    Most Big5 bytes are also valid GB18030 (as mojibake), so when both decode, charset_normalizer
    judges which reads as language; GB18030 wins a tie, being the mainland's encoding.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        return None
    fits = [e for e in TRIED_ENCODINGS if _decodes(sample, e)]
    if not fits or fits[0] == "utf-8" or len(fits) == 1:
        return fits[0] if fits else None
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536], cp_isolation=fits).best()
    return "big5" if best is not None and best.encoding == "big5" else fits[0]


def _sniff_delimiter(text: str, suffix: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if suffix in (".tsv", ".tab"):
        return "\t"
    best, best_score = ",", -1.0
    for delim in DELIMITER_NAMES:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        # Most rows agreeing with the header's width, then the wider header.
        score = sum(c == counts[0] for c in counts) / len(counts) + counts[0] / 1000
        if score > best_score:
            best, best_score = delim, score
    return best


def _text_table(path: Path, name: str, forced: str | None = None) -> RawTable:
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(
            f"{name}: this is a binary file, not a CSV/TXT export or spreadsheet",
            zh=f"{name}：这是二进制文件，不是 CSV/TXT 导出文件或 Excel 表格",
        )
    encoding = forced or _guess_encoding(sample)
    tried = "、".join(ENCODING_NAMES[e] for e in TRIED_ENCODINGS)
    if encoding is None:
        raise ReadError(
            f"{name}: unknown text encoding (tried {tried}); name the file's encoding with --encoding",
            zh=f"{name}：无法识别文件编码（已尝试 {tried}），请指定文件编码（命令行 --encoding）",
        )
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except LookupError as exc:
        raise ReadError(f"{name}: unknown encoding {encoding!r}", zh=f"{name}：未知编码 {encoding}") from exc
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{name}: the file is not {encoding} text ({exc.reason})", zh=f"{name}：文件不是 {encoding} 编码的文本"
        ) from exc
    delimiter = _sniff_delimiter(text, path.suffix.lower())
    shown = ENCODING_NAMES.get(encoding, encoding.upper())
    return RawTable(name, None, _csv_rows(path, name, encoding, delimiter), encoding=shown, delimiter=delimiter)


def _csv_rows(path: Path, name: str, encoding: str, delimiter: str) -> Iterator[Row]:
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    line = 0
    try:
        with path.open("r", encoding=encoding, errors="strict", newline="") as fh:
            for start, cells in records(fh, delimiter):
                line = start
                # Blank lines are not rows; '' cells become nulls later, in Arrow.
                if not any(cells) or (len(cells) == 1 and not cells[0].strip()):
                    continue
                yield start, cells
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{name}: line {line + 1} is not valid {encoding} text ({exc.reason})",
            zh=f"{name}：第 {line + 1} 行不是有效的 {encoding} 文本，文件编码混杂或已损坏",
        ) from exc
    except csv.Error as exc:
        raise ReadError(f"{name}: line {line + 1}: {exc}", zh=f"{name}：第 {line + 1} 行格式错误：{exc}") from exc
