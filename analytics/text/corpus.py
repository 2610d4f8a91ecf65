"""Token corpora in a flat, columnar form: one Arrow string array of every token plus offsets.

Fetching a DuckDB ``VARCHAR[]`` column through Arrow gives exactly this, without building a Python
list per complaint, which is what keeps vectorising a million complaints cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa


@dataclass(frozen=True)
class Corpus:
    ids: np.ndarray  # int64 complaint ids, one per document
    offsets: np.ndarray  # int64, len(ids) + 1; document i is tokens[offsets[i]:offsets[i+1]]
    tokens: pa.Array  # flat string array of every token

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_lists(cls, ids: list[int] | np.ndarray, token_lists: list[list[str]]) -> Corpus:
        arr = pa.array(token_lists, type=pa.list_(pa.string()))
        return cls.from_arrow(np.asarray(ids, dtype=np.int64), arr)

    @classmethod
    def from_arrow(cls, ids: np.ndarray, lists: pa.Array | pa.ChunkedArray) -> Corpus:
        if isinstance(lists, pa.ChunkedArray):
            lists = lists.combine_chunks() if lists.num_chunks else pa.array([], type=pa.list_(pa.string()))
        if lists.type != pa.list_(pa.string()):
            lists = lists.cast(pa.list_(pa.string()))
        lists = lists.fill_null(pa.scalar([], type=pa.list_(pa.string())))
        offsets = np.asarray(lists.offsets, dtype=np.int64)
        flat = lists.values.slice(offsets[0], offsets[-1] - offsets[0]) if len(lists) else lists.values
        return cls(ids=np.asarray(ids, dtype=np.int64), offsets=offsets - offsets[0], tokens=flat)

    def doc_index(self) -> np.ndarray:
        """The document number of every token."""
        return np.repeat(np.arange(len(self.ids), dtype=np.int64), np.diff(self.offsets))

    def take(self, rows: np.ndarray) -> Corpus:
        """A sub-corpus of the given document rows (in that order)."""
        rows = np.asarray(rows, dtype=np.int64)
        lengths = np.diff(self.offsets)[rows]
        starts = self.offsets[rows]
        idx = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(lengths.sum())
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        return Corpus(ids=self.ids[rows], offsets=offsets, tokens=self.tokens.take(pa.array(idx)))

    def lists(self) -> list[list[str]]:
        flat = self.tokens.to_pylist()
        return [flat[a:b] for a, b in zip(self.offsets[:-1], self.offsets[1:], strict=True)]
