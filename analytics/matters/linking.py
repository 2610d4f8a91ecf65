"""Link complaints into matters (事项): one case reported on several channels, or again.

Candidates are paired within blocks, never across the whole table: the same complainant hash
(``complaints.complainant_hash``) or the same business (``analytics.events.business_key``, so a
chain's branches written differently agree), received within ``HOTSPOT_MATTER_WINDOW_DAYS``. A pair
is one matter when

* both carry the same complainant hash, and they name the same business or their texts are
  similar (cosine of char 2-gram TF-IDF) at least ``HOTSPOT_MATTER_SIM_PERSON``: one person may
  have two unrelated cases in a month (a gym and a supermarket), which stay apart;
* at most one carries a hash, they name the same business, their texts are similar at least
  ``HOTSPOT_MATTER_SIM_BUSINESS`` (higher: other customers of one business write alike), and
  they do not name different facts (two branches of a chain, or amounts, or sums and dates in
  the text, that disagree).

Two different hashes are never linked: two people are two matters, however alike their words.
Matters are the components of the pairs (union-find, strongest pair first, never merging two
complainants), after the analysts' curation (``matter_curation``): a split complaint loses every found link, a
join links two complaints whatever the linker says. Pairs found are kept in ``matter_edges``, so
a later run compares only complaints that have no matter yet against the rest (``link``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from analytics import settings
from analytics.events import business_key, place_names
from analytics.profile import load_profile
from analytics.store import stages

_TEXT_CHARS = 300  # the opening of title + content says what the case is; the rest is detail


@dataclass(frozen=True)
class LinkResult:
    new_complaints: int  # complaints that had no matter before this run
    pairs_compared: int
    edges_added: int
    complaints: int
    matters: int


def _candidates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """New complaints and the older ones that share a block with one of them in the window."""
    window = int(settings.get("HOTSPOT_MATTER_WINDOW_DAYS"))
    if not con.execute("SELECT count(*) FROM matter_links").fetchone()[0]:
        # The first run: every complaint is new. Finding each one's neighbours (a row per pair of
        # a business's complaints) would only find the same rows again, and cost most of the run.
        return con.execute(
            "SELECT id, received_at, complainant_hash, business, amount, true AS is_new FROM complaints"
        ).df()
    return con.execute(
        f"""
        WITH new AS (SELECT c.id FROM complaints c ANTI JOIN matter_links l ON l.id = c.id),
        fresh AS (SELECT c.id, c.complainant_hash, c.business, c.received_at FROM complaints c JOIN new USING (id)),
        near AS (  -- the window around any new complaint of the same complainant or business name
            SELECT o.id FROM fresh n JOIN complaints o ON o.complainant_hash = n.complainant_hash
             AND o.received_at BETWEEN n.received_at - INTERVAL {window} DAY
                                   AND n.received_at + INTERVAL {window} DAY
            UNION  -- two equi-joins: one join on (hash OR business) would compare every pair
            SELECT o.id FROM fresh n JOIN complaints o ON o.business = n.business
             AND o.received_at BETWEEN n.received_at - INTERVAL {window} DAY
                                   AND n.received_at + INTERVAL {window} DAY
        )
        SELECT c.id, c.received_at, c.complainant_hash, c.business, c.amount, new.id IS NOT NULL AS is_new
        FROM complaints c LEFT JOIN new USING (id)
        SEMI JOIN (SELECT id FROM new UNION SELECT id FROM near) k ON k.id = c.id
        """
    ).df()


def _pairs(codes: np.ndarray, times_all: np.ndarray, is_new: np.ndarray, window: pd.Timedelta) -> pd.DataFrame:
    """Row-position pairs (i < j in time order) of one block within the window, one side new.

    ``codes`` number the blocks (integers sort much faster than strings), -1 for no block."""
    rows = np.nonzero(codes >= 0)[0]
    order = rows[np.lexsort((times_all[rows], codes[rows]))]
    pos, keys = order, codes[order]
    times, new = times_all[order], is_new[order]
    span = window.to_timedelta64()
    left, right = [], []
    # Pair each row with the following rows of its block inside the window: offsets 1, 2, …
    # until no pair is left (blocks are sorted by time, so a pair out of the window ends a run).
    offset = 1
    alive = np.ones(len(pos), dtype=bool)
    while True:
        i = np.nonzero(alive[: len(pos) - offset])[0]
        if not len(i):
            break
        j = i + offset
        ok = (keys[i] == keys[j]) & (times[j] - times[i] <= span)
        alive[:] = False
        alive[i[ok]] = True
        keep = ok & (new[i] | new[j])
        left.append(pos[i[keep]])
        right.append(pos[j[keep]])
        offset += 1
    if not left:
        return pd.DataFrame({"i": [], "j": []}, dtype=np.int64)
    return pd.DataFrame({"i": np.concatenate(left), "j": np.concatenate(right)})


def _texts(con: duckdb.DuckDBPyConnection, ids: np.ndarray) -> pd.Series:
    """The opening of title + content of these complaints (by id): read only for the pairs whose
    rule needs the text, a small share of the candidates (reading every text cost a second per
    100,000 complaints)."""
    con.register("_text_ids", pd.DataFrame({"id": ids.astype(np.int64)}))
    try:
        found = con.execute(
            f"""SELECT c.id, left(coalesce(c.title, '') || ' ' || coalesce(c.content, ''), {_TEXT_CHARS}) AS text
                FROM complaints c SEMI JOIN _text_ids t ON t.id = c.id"""
        ).df()
    finally:
        con.unregister("_text_ids")
    return found.set_index("id")["text"]


def _similarity(texts: pd.Series, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    if not len(i):
        return np.zeros(0)
    # char 2-grams: Chinese needs no word segmentation for this, and a rewording across channels
    # (健身卡退费 / 会员卡不给退款) still shares most pairs of characters.
    # Fitted on the texts of the pairs only: most candidates (the window around new rows) pair
    # with nothing, and vectorising them cost most of a run.
    used, inverse = np.unique(np.concatenate([i, j]), return_inverse=True)
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, dtype=np.float32)
    x = vec.fit_transform(texts.fillna("").to_numpy()[used])
    a, b = inverse[: len(i)], inverse[len(i) :]
    return np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()


def _business_blocks(business: pd.Series) -> np.ndarray:
    """``business_key`` without a leading place name: 12345 writes 清远市好又多超市有限公司 where
    12315 writes 好又多超市. (``business_key`` keeps the place of a name that is not a branch, so
    that 清远市人民医院 and 英德市人民医院 stay two businesses for events; here the similar-text
    check keeps such cases apart instead.)"""
    places = place_names(load_profile())
    # The longest leading place first, looked up by length in a set: a scan over every place name
    # per business cost most of a first run.
    lengths = sorted({len(p) for p in places.leading}, reverse=True)
    leading = set(places.leading)

    def block(name: str) -> str | None:
        key = business_key(name, places)
        if key:
            for n in lengths:
                if len(key) - n >= 2 and key[:n] in leading:
                    return key[n:]
        return key

    codes, names = pd.factorize(business)  # each name once; -1 where no business is named
    keys = np.array([block(name) for name in names] + [None], dtype=object)
    return keys[codes]


_DETAILS = r"(\d+(?:\.\d+)?)\s*(?:元|块)|(\d{1,2}月\d{1,2}[日号])"


def _details(texts: pd.Series) -> np.ndarray:
    """Per text, the sums of money and the dates it names (a frozenset; empty when none)."""
    found = texts.fillna("").str.findall(_DETAILS)
    return np.array([frozenset(a or d for a, d in f) for f in found], dtype=object)


def _branches(business: pd.Series) -> np.ndarray:
    """The bracketed branch of each business name (启航教育（清城店） → 清城店), else None."""
    return business.str.extract(r"[（(]([^）)]+)[）)]", expand=False).to_numpy(object, na_value=None)


def _differ(i: np.ndarray, j: np.ndarray, amount: np.ndarray, details: np.ndarray, branch: np.ndarray) -> np.ndarray:
    """Two complaints name different facts: two different branches of one chain, both give an
    amount and they differ, or both texts name sums or dates and share none. Other customers of
    one business write alike; their branch, sums and dates tell them apart."""
    branches = pd.notna(branch[i]) & pd.notna(branch[j]) & (branch[i] != branch[j])
    amounts = ~np.isnan(amount[i]) & ~np.isnan(amount[j]) & (amount[i] != amount[j])
    texts = np.fromiter(
        (bool(a) and bool(b) and not (a & b) for a, b in zip(details[i], details[j], strict=True)),
        dtype=bool,
        count=len(i),
    )
    return branches | amounts | texts


def _found_edges(frame: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, int]:
    window = pd.Timedelta(days=int(settings.get("HOTSPOT_MATTER_WINDOW_DAYS")))
    person_min = float(settings.get("HOTSPOT_MATTER_SIM_PERSON"))
    business_min = float(settings.get("HOTSPOT_MATTER_SIM_BUSINESS"))
    # Complainants and business blocks as integer codes (-1: none): pairs are found and compared
    # on integers, not on a million strings.
    h = pd.factorize(frame["complainant_hash"])[0]
    b = pd.factorize(_business_blocks(frame["business"]))[0]
    times, is_new = frame["received_at"].to_numpy("datetime64[ns]"), frame["is_new"].to_numpy(bool)
    pairs = pd.concat(
        [_pairs(h, times, is_new, window), _pairs(b, times, is_new, window)], ignore_index=True
    ).drop_duplicates()
    i, j = pairs["i"].to_numpy(np.int64), pairs["j"].to_numpy(np.int64)
    hi, hj, bi, bj = h[i], h[j], b[i], b[j]
    both_hashed = (hi >= 0) & (hj >= 0)
    same_person = both_hashed & (hi == hj)
    same_business = (bi >= 0) & (bi == bj)
    # Texts are compared only where the decision needs them: two different complainants are
    # never linked and one complainant about one business always is (most pairs at scale).
    need = (same_person & ~same_business) | (~both_hashed & same_business)
    sim = np.zeros(len(i))
    ids = frame["id"].to_numpy(np.int64)
    text = pd.Series("", index=frame.index, dtype=object)
    read = np.unique(np.concatenate([i[need], j[need]]))
    text.iloc[read] = _texts(con, ids[read]).reindex(ids[read]).fillna("").to_numpy(object)
    sim[need] = _similarity(text, i[need], j[need])
    sim[same_person & same_business] = 1.0  # recorded as certain: the same person about the same business
    person = same_person & (same_business | (sim >= person_min))
    business = ~both_hashed & same_business & (sim >= business_min)
    if business.any():
        amount = frame["amount"].to_numpy(np.float64, na_value=np.nan)
        rows = np.unique(np.concatenate([i[business], j[business]]))
        details = np.empty(len(frame), dtype=object)
        details[rows] = _details(text.iloc[rows])
        branch = np.empty(len(frame), dtype=object)
        branch[rows] = _branches(frame["business"].iloc[rows])
        business[business] = ~_differ(i[business], j[business], amount, details, branch)
    keep = person | business
    a, c = ids[i[keep]], ids[j[keep]]
    edges = pd.DataFrame(
        {
            "a": np.minimum(a, c),
            "b": np.maximum(a, c),
            "similarity": sim[keep].astype(float),
            "rule": np.where(person[keep], "complainant", "business"),
        }
    )
    return edges, len(pairs)


def _components(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(id, matter_id) of every complaint: union-find over joins, then found links, strongest first.

    A found link is taken only when the two matters it would merge do not hold two different
    complainants: without this one letter that gives no phone, about a business many people
    complain of, would chain all of them into one matter. A join is an analyst's decision and is
    always taken, until a later split of either complaint undoes it (a mistaken join is split
    again); a split complaint's found links are ignored.
    """
    ids = con.execute("SELECT id FROM complaints ORDER BY id").fetchnumpy()["id"].astype(np.int64)
    # Complainants of the linked complaints only: most complaints are a matter of their own.
    person = dict(
        con.execute(
            """SELECT id, complainant_hash FROM complaints WHERE complainant_hash IS NOT NULL AND id IN (
                   SELECT a FROM matter_edges UNION SELECT b FROM matter_edges
                   UNION SELECT a FROM matter_curation UNION SELECT b FROM matter_curation)"""
        ).fetchall()
    )
    edges = con.execute(
        """
        SELECT j.a, j.b, true AS forced, 2.0 AS strength FROM matter_curation j
        WHERE j.action = 'join' AND NOT EXISTS (  -- a later split of either complaint undoes the join
            SELECT 1 FROM matter_curation s WHERE s.action = 'split' AND s.a IN (j.a, j.b) AND s.at_time > j.at_time
        )
        UNION ALL
        SELECT a, b, false, similarity + (rule = 'complainant')::INT FROM matter_edges
        WHERE a NOT IN (SELECT a FROM matter_curation WHERE action = 'split')
          AND b NOT IN (SELECT a FROM matter_curation WHERE action = 'split')
        ORDER BY forced DESC, strength DESC, a, b
        """
    ).fetchall()
    parent: dict[int, int] = {}
    who: dict[int, str | None] = {}  # a root's complainant (None: nobody known yet)

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    known = set(ids.tolist())
    for a, b, forced, _ in edges:
        if a not in known or b not in known:  # a curated complaint may have been rolled back since
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        ha, hb = who.get(ra, person.get(ra)), who.get(rb, person.get(rb))
        if not forced and ha is not None and hb is not None and ha != hb:
            continue
        root, child = (ra, rb) if ra < rb else (rb, ra)  # the smallest id names the matter
        parent[child] = root
        who[root] = ha if ha is not None else hb
    matter = ids.copy()  # a complaint no link touched is its own matter
    if parent:
        linked = np.fromiter(parent, dtype=np.int64, count=len(parent))
        linked = linked[np.isin(linked, ids)]
        matter[np.searchsorted(ids, linked)] = [find(x) for x in linked.tolist()]
    return pd.DataFrame({"id": ids, "matter_id": matter})


def link(con: duckdb.DuckDBPyConnection) -> LinkResult:
    """Link complaints without a matter yet, then renumber matters; returns what was done.

    Only new complaints (and the older ones in their blocks and window) are compared; pairs of
    rolled-back complaints are dropped first. Runs in one transaction.
    """
    con.execute("BEGIN TRANSACTION")
    try:

        def changed(sql: str) -> int:  # rows a statement deleted or inserted
            return int(con.execute(sql).fetchone()[0])

        rows = changed("DELETE FROM matter_links WHERE id NOT IN (SELECT id FROM complaints)")
        rows += changed(
            "DELETE FROM matter_edges WHERE a NOT IN (SELECT id FROM complaints)"
            " OR b NOT IN (SELECT id FROM complaints)"
        )
        frame = _candidates(con)
        new = int(frame["is_new"].sum()) if len(frame) else 0
        edges, compared = _found_edges(frame, con) if new else (pd.DataFrame(), 0)
        if len(edges):
            con.register("_edges", edges)
            rows += changed("INSERT OR IGNORE INTO matter_edges SELECT a, b, similarity, rule FROM _edges")
            con.unregister("_edges")
        links = _components(con)
        con.register("_links", links)
        # Rewrite only rows whose matter changed or that are new: a re-run touches few rows.
        rows += changed(
            """
            DELETE FROM matter_links l USING _links n WHERE l.id = n.id AND l.matter_id <> n.matter_id
            """
        )
        rows += changed(
            "INSERT INTO matter_links SELECT n.id, n.matter_id FROM _links n ANTI JOIN matter_links l ON l.id = n.id"
        )
        con.unregister("_links")
        if rows:  # a re-run that changed nothing leaves every cached matter read as it is
            stages.bump(con, "matters")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    matters = int(links["matter_id"].nunique()) if len(links) else 0
    return LinkResult(new, compared, len(edges), len(links), matters)
