"""An analyst's correction from a page takes effect at once (matters.correct: curate, then a link
run), a complaint can be named by its number, and a matter's members are listed with personal data
masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.errors import UserError
from analytics.matters import correct, join_by_number, link, matter_members
from analytics.store import connect


@pytest.fixture
def con(tmp_path: Path):
    c = connect(tmp_path / "c.duckdb")
    rows = [  # id, number, source, complainant hash, title
        (1, "GD0001", "12345", "h1", "健身卡退费 联系电话13812345678"),
        (2, "GD0002", "12345", "h1", "健身卡仍未退费"),  # the same caller again: linked
        (3, "SH0003", "12315", None, "会员卡退款"),
        (4, "SH0004", "12315", None, "过期牛奶"),
        (5, "SH0004", "消委会", None, "过期牛奶来信"),  # 12315 and 消委会 number their own complaints alike
    ]
    for i, number, source, who, title in rows:
        c.execute(
            """INSERT INTO complaints (id, complaint_id, source, received_at, kind, business, title, dedupe_key,
                   batch_id, complainant_hash)
               VALUES ($id, $number, $source, TIMESTAMP '2024-05-01 09:00' + to_days($id), '投诉', '力健健身',
                   $title, $key, 't', $who)""",
            {"id": i, "number": number, "source": source, "title": title, "key": f"k{i}", "who": who},
        )
    link(c)
    yield c
    c.close()


def _members(con, complaint: int) -> list[str]:
    return matter_members(con, complaint)["complaint_id"].tolist()


def test_join_and_split_show_at_once(con) -> None:
    assert _members(con, 1) == ["GD0001", "GD0002"] and _members(con, 3) == ["SH0003"]
    join_by_number(con, 3, "  GD0001 ", actor="web:wang")  # the number as an analyst types it
    assert _members(con, 3) == ["GD0001", "GD0002", "SH0003"]  # oldest first, no separate link run
    correct(con, "split", 2, actor="web:wang")  # the linker's link goes; the analyst's join stays
    assert _members(con, 2) == ["GD0002"] and _members(con, 1) == ["GD0001", "SH0003"]
    actions = con.execute("SELECT action, target FROM audit_log ORDER BY id").fetchall()
    assert actions == [("matter_join", "SH0003、GD0001"), ("matter_split", "GD0002")]


def test_a_split_undoes_an_earlier_join_and_a_later_join_redoes_it(con) -> None:
    join_by_number(con, 4, "GD0001", actor="web:wang")  # a mistake: the milk complaint is no gym case
    assert "SH0004" in _members(con, 1)
    correct(con, "split", 4, actor="web:wang")
    assert _members(con, 4) == ["SH0004"] and _members(con, 1) == ["GD0001", "GD0002"]
    correct(con, "join", 4, 1, actor="web:wang")  # joined again after the split: the join stands
    assert _members(con, 4) == ["GD0001", "GD0002", "SH0004"]


def test_a_number_must_name_one_complaint(con) -> None:
    with pytest.raises(UserError) as err:
        join_by_number(con, 1, "GD9999", actor="web:wang")
    assert "找不到投诉编号" in err.value.zh
    with pytest.raises(UserError) as err:
        join_by_number(con, 1, "SH0004", actor="web:wang")  # two sources, one number
    assert "多条投诉" in err.value.zh
    assert con.execute("SELECT count(*) FROM matter_curation").fetchone()[0] == 0


def test_members_are_masked(con) -> None:
    title = matter_members(con, 1)["title"].iloc[0]
    assert "13812345678" not in title and title.startswith("健身卡退费")
    assert matter_members(con, -1).empty
