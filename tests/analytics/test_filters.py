from __future__ import annotations

from datetime import date
from pathlib import Path

from analytics.filters import Filters
from analytics.store import connect


def _count(con, filters: Filters) -> int:
    where, params = filters.where()
    return con.execute(f"SELECT count(*) FROM complaints WHERE {where}", params).fetchone()[0]


def test_default_filter_matches_everything() -> None:
    assert Filters().where() == ("true", {})


def test_values_are_bound_by_prefixed_name() -> None:
    """No '?' whose order a caller must know: every value has a name, all starting with f_."""
    where, params = Filters(date_from=date(2024, 1, 1), counties=("清城区", "英德市"), keyword="预付卡 跑路").where("c")
    assert "?" not in where
    assert params == {
        "f_from": date(2024, 1, 1),
        "f_counties_0": "清城区",
        "f_counties_1": "英德市",
        "f_q0": "%预付卡%",
        "f_q1": "%跑路%",
    }
    assert all(f"${name}" in where for name in params)


def test_query_params_round_trip() -> None:
    f = Filters(
        date_from=date(2024, 1, 1),
        date_to=date(2024, 12, 31),
        counties=("清城区", "英德市"),
        kinds=("投诉",),
        keyword="预付卡 跑路",
    )
    assert Filters.from_query_params(f.to_query_params()) == f
    assert Filters.from_query_params({"from": "not a date", "counties": ""}) == Filters()


def test_same_period_last_year_handles_leap_day() -> None:
    f = Filters(date_from=date(2024, 2, 29), date_to=date(2024, 3, 31))
    assert f.same_period_last_year() == Filters(date_from=date(2023, 2, 28), date_to=date(2023, 3, 31))


def test_filters_restrict_rows(tmp_path: Path) -> None:
    with connect(tmp_path / "f.duckdb") as con:
        con.execute(
            """
            INSERT INTO complaints (id, complaint_id, source, received_at, kind, county, sector, title, content,
                                    dedupe_key, batch_id)
            VALUES
              (1, 'a', '12345', TIMESTAMP '2024-03-01 10:00', '投诉', '清城区', '健身', '健身房跑路', '预付卡 100%',
               'k1', 'b'),
              (2, 'b', '12315', TIMESTAMP '2024-12-31 23:59', '咨询', '英德市', '食品', '过期食品', NULL, 'k2', 'b'),
              (3, 'c', '12345', TIMESTAMP '2025-01-01 00:00', '投诉', '清城区', '健身', 'x_y', '退费难', 'k3', 'b')
            """
        )
        assert _count(con, Filters()) == 3
        assert _count(con, Filters(date_to=date(2024, 12, 31))) == 2  # the end day is included whole
        assert _count(con, Filters(date_from=date(2025, 1, 1))) == 1
        assert _count(con, Filters(counties=("清城区",))) == 2
        assert _count(con, Filters(sources=("12315",), kinds=("咨询",))) == 1
        assert _count(con, Filters(keyword="预付卡 跑路")) == 1  # every word, title or content
        assert _count(con, Filters(keyword="100%")) == 1  # LIKE wildcards are literal
        assert _count(con, Filters(keyword="_")) == 1
        assert _count(con, Filters(keyword="食品")) == 1  # NULL content does not hide the title
