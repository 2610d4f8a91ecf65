"""The engine binds every SQL value by name (DuckDB's ``$name``), never by position.

A list of values bound to ``?`` (or ``$1``) placeholders makes their order a contract between the
SQL text and the call: add a condition in the middle of a query glued from parts and every later
value shifts silently. Named values cannot shift. Two checks over ``analytics/``:

- any string that reads as SQL and holds a positional placeholder outside a quoted literal (this
  finds SQL kept in a variable or glued from f-string parts before it reaches ``execute``);
- any ``execute``/``executemany``/``sql``/``query`` call given its values as a list or tuple.

There is no exception: DuckDB's ``executemany`` takes one dict of named values per row as well.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "analytics"
RUNNERS = {"execute", "executemany", "sql", "query"}
_QUOTED = re.compile(r"'(?:[^']|'')*'")  # SQL string literals: a ? inside one is text, not a placeholder
_SQL = re.compile(r"\b(?:SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|LIMIT|OFFSET)\b", re.IGNORECASE)
_POSITIONAL = re.compile(r"\?|\$[0-9]+")


def _rows(values: ast.expr) -> list[ast.expr]:
    """The rows of an ``executemany`` call that can be seen in the source."""
    if isinstance(values, (ast.List, ast.Tuple)):
        return list(values.elts)
    if isinstance(values, (ast.ListComp, ast.GeneratorExp)):
        return [values.elt]
    return []


def positional_binds(source: str) -> list[tuple[int, str]]:
    """(line, what) for each positional bind in one module's source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = _QUOTED.sub("''", node.value)
            if _SQL.search(sql) and _POSITIONAL.search(sql):
                found.append((node.lineno, f"positional placeholder in {node.value.strip()[:60]!r}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUNNERS:
            values = [*node.args[1:2], *(k.value for k in node.keywords if k.arg in ("parameters", "params"))]
            if node.func.attr == "executemany":  # a sequence of rows: each row must be a dict
                values = [row for v in values for row in _rows(v)]
            if any(isinstance(v, (ast.List, ast.Tuple, ast.ListComp)) for v in values):
                found.append((node.lineno, f"{node.func.attr}() given a list of values"))
    return found


def test_the_check_sees_positional_binds() -> None:
    bad = '''
def f(con, a, b):
    con.execute("SELECT * FROM t WHERE a = ? AND b = ?", [a, b])
    sql = f"""SELECT * FROM t
              WHERE a = $1"""
    con.execute(sql, (a,))
'''
    assert sorted(line for line, _ in positional_binds(bad)) == [3, 3, 4, 6]
    good = """
def f(con, a):
    con.execute("SELECT * FROM t WHERE a = $a AND b = '?' AND c = '$1'", {"a": a})
    con.executemany("INSERT INTO t (a) VALUES ($a)", [{"a": x} for x in a])
"""
    assert positional_binds(good) == []
    rows = 'con.executemany("INSERT INTO t (a) VALUES ($a)", [(x,) for x in a])'
    assert positional_binds(rows) == [(1, "executemany() given a list of values")]


def test_the_engine_binds_by_name() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted(ENGINE.rglob("*.py"))
        for line, what in positional_binds(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "bind by name ($name and a dict), not by position:\n" + "\n".join(problems)
