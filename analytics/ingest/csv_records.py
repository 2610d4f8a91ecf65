"""Records of a delimited text file, safe against a stray opening quote.

The ``csv`` module reads a field that begins with a quote up to the next quote, across any number
of lines: one unclosed quote (``Q3,2024-03-05 10:00,投诉,"这家店 不退款``) silently merges the rest
of the file into one field. Here ``csv.reader`` still does the parsing, but every continuation
line it asks for is looked at first: a line with at least as many delimiters as the table has
columns minus one is the start of the next record, not the middle of a field. The quote is then
taken as a literal character: the record is re-read from its first line with quoting off, and
the reader resumes at the line that looked like a record. Legitimate quoted line breaks (a
complaint text of several paragraphs) rarely hold that many delimiters on one line, so they stay.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from typing import TextIO

# The widest of the first this-many records is the table's width (title rows above the header
# are narrower than the header).
_WIDTH_RECORDS = 30


class _StrayQuote(Exception):
    """Raised inside csv.reader's iteration: the continuation line is really a new record."""


class _Lines:
    """The physical lines of a file for ``csv.reader``, checking each continuation line."""

    def __init__(self, fh: TextIO, delimiter: str) -> None:
        self._fh = fh
        self._delimiter = delimiter
        self._pushed: deque[str] = deque()
        self.width = 0
        self.number = 0  # physical lines handed out so far
        self.record: list[str] = []  # the lines of the record being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._pushed.popleft() if self._pushed else next(self._fh)
        if self.record and self.width > 1 and line.count(self._delimiter) >= self.width - 1:
            self._pushed.appendleft(line)
            raise _StrayQuote
        self.number += 1
        self.record.append(line)
        return line

    def start_record(self) -> None:
        self.record = []


def records(fh: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, cells)`` per record of ``fh`` (opened with ``newline=""``)."""
    lines = _Lines(fh, delimiter)
    seen = 0
    while True:
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            for cells in reader:
                start = lines.number - len(lines.record) + 1
                lines.start_record()
                if seen < _WIDTH_RECORDS and cells:
                    seen += 1
                    lines.width = max(lines.width, len(cells))
                yield start, cells
            return
        except _StrayQuote:
            start = lines.number - len(lines.record) + 1
            first, *rest = lines.record
            lines.start_record()
            literal = next(csv.reader([first.rstrip("\r\n")], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
            if rest and literal:  # lines that did not look like records belong to the last field
                literal[-1] += "\n" + "".join(rest).rstrip("\r\n")
            yield start, literal
