"""Rows of text -> Arrow tables of one chunk each, the shape ``stage.ChunkLoader`` loads."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest.readers import Row

# A cell longer than this is not a complaint field; the row is quarantined with a preview.
MAX_CELL_CHARS = 1_000_000


def arrow_chunks(rows: Iterator[Row], width: int, size: int) -> Iterator[pa.Table]:
    """Rows -> Arrow tables of text columns c0..c{width-1} plus _row, _flag, _overflow."""
    while True:
        batch = list(islice(rows, size))
        if not batch:
            return
        numbers = [n for n, _ in batch]
        cells = [c for _, c in batch]
        overflow: list[str | None] = [None] * len(cells)
        ragged = set(map(len, cells)) != {width}
        for i, row in enumerate(cells if ragged else ()):
            if len(row) != width:  # ragged: pad short rows, keep the surplus of long ones
                if len(row) < width:
                    cells[i] = row + [None] * (width - len(row))
                else:
                    overflow[i] = " | ".join(c for c in row[width:] if c) or None
                    cells[i] = row[:width]
        columns = list(zip(*cells, strict=True)) if cells else [()] * width
        arrays = {f"c{j}": pa.array(columns[j], pa.large_string()) for j in range(width)}
        flags: list[str | None] = [None] * len(cells)
        for name, arr in arrays.items():
            if (pc.max(pc.utf8_length(arr)).as_py() or 0) > MAX_CELL_CHARS:
                arrays[name] = _cap_cells(arr, int(name[1:]), flags)
        yield pa.table(
            {
                "_row": pa.array(numbers, pa.int64()),
                "_flag": pa.array(flags, pa.string()),
                "_overflow": pa.array(overflow, pa.large_string()),
                **arrays,
            }
        )


def _cap_cells(arr: pa.Array, column: int, flags: list[str | None]) -> pa.Array:
    values = arr.to_pylist()
    for i, v in enumerate(values):
        if v is not None and len(v) > MAX_CELL_CHARS:
            flags[i] = f"单元格过大 (cell too large): 第{column + 1}列 {len(v):,} 字符，上限 {MAX_CELL_CHARS:,}"
            values[i] = v[:200] + f"…[已截断，共 {len(v):,} 字符]"
    return pa.array(values, pa.large_string())
