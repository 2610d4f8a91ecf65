"""Plant one-matter-many-calls in the demo: cross-channel duplicates and repeat callers.

Every demo complaint gets a complainant (a synthetic ``complainant_hash``: the demo has no real
phone numbers to salt; most 12345 and 12315 callers give a phone, a third of consumer-council
letters do not). Then some ordinary complaints about a named business become the first complaint
of a matter: one to three later complaints (1–28 days on, taken from unplanted rows so the row
count, times and ids stay as drawn) are rewritten as the same case told again, on another channel
(12345 → 12315 → 消委会) or the same one (a repeat call), in that channel's wording. The later
complaint keeps the complainant's hash, except a letter that gives no phone.

Each planted matter is written to ``demo_truth`` with kind 'duplicate' and theme = its key
(``事项:`` + the first complaint's id), so tests can score the matters stage. A separate random
stream (seeded from the demo's seed) keeps every other plant exactly as drawn.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from analytics.demo.rows import department
from analytics.profile import RegionProfile

MATTER_SHARE = 1 / 150  # matters planted per demo complaint
HASH_COVERAGE = {"12345": 0.97, "12315": 0.97, "消委会": 0.7}
WINDOW_DAYS = 28
_OPENINGS = {
    "12345": ("来电人反映：", "市民来电称，", "来电人表示，"),
    "12315": ("消费者称：", "消费者反映，", "投诉人诉称："),
    "消委会": ("本人向消委会反映：", "消费者来信称，", "消费者来访反映："),
}
_AGAIN = ("此前已投诉，至今未解决，", "之前反映过的问题仍未处理，", "再次反映：")
_COPIED = ("business", "sector", "county", "town", "kind", "amount", "title")


def _synthetic_hashes(seed: int, n: int) -> np.ndarray:
    return np.array([hashlib.md5(f"demo:{seed}:{i}".encode()).hexdigest() for i in range(n)], dtype=object)


def _retold(rng: np.random.Generator, content: str, source: str, repeat: bool) -> str:
    """The same case in another channel's words: its opening, most of the clauses, in order."""
    clauses = [c for c in content.replace("。", "，").split("，") if c.strip()]
    keep = [c for c in clauses if rng.random() < 0.75] or clauses[:1]
    opening = _OPENINGS.get(source, _OPENINGS["12345"])[int(rng.integers(3))]
    again = _AGAIN[int(rng.integers(len(_AGAIN)))] if repeat else ""
    body = "，".join(keep) if len("".join(keep)) >= 12 else "，".join(clauses)  # never a bare stub
    return (opening + again + body)[:398] + "。"


def plant_duplicates(
    frame: pd.DataFrame, truth: pd.DataFrame, profile: RegionProfile, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` with ``complainant_hash`` and planted matters; ``truth`` with their rows added."""
    rng = np.random.default_rng([seed, 14])
    n = len(frame)
    frame = frame.copy()
    source = frame["source"].to_numpy(object)
    coverage = np.array([HASH_COVERAGE.get(s, 0.9) for s in source])
    hashes = _synthetic_hashes(seed, n)
    frame["complainant_hash"] = np.where(rng.random(n) < coverage, hashes, None)

    free = ~frame["complaint_id"].isin(truth["complaint_id"]).to_numpy() & frame["business"].notna().to_numpy()
    days = frame["received_at"].to_numpy("datetime64[s]").astype(np.int64) / 86_400
    bases = rng.permutation(np.flatnonzero(free & (frame["kind"] == "投诉").to_numpy()))[: int(n * MATTER_SHARE)]
    regulators = {s: profile.regulator_of(s) for s in profile.sector_names}
    planted: list[tuple[str, str, int]] = []
    for b in sorted(bases.tolist()):
        if not free[b]:
            continue  # already taken as a later complaint of an earlier matter
        free[b] = False
        lo, hi = np.searchsorted(days, [days[b] + 1, days[b] + WINDOW_DAYS])
        key = "事项:" + frame.at[b, "complaint_id"]
        members = [b]
        person = hashes[b]
        for _ in range(int(rng.integers(1, 4))):
            options = np.flatnonzero(free[lo:hi]) + lo
            if not len(options):
                break
            d = int(options[rng.integers(len(options))])
            free[d] = False
            for col in _COPIED:
                frame.at[d, col] = frame.at[b, col]
            src = source[d]
            repeat = src == source[b]
            frame.at[d, "content"] = _retold(rng, str(frame.at[b, "content"]), src, repeat)
            sector = frame.at[d, "sector"]
            frame.at[d, "department"] = department(
                src, sector, frame.at[d, "county"], regulators.get(sector) or "市场监督管理局"
            )
            frame.at[d, "complainant_hash"] = person if rng.random() < coverage[d] else None
            members.append(d)
        if len(members) > 1:
            frame.at[b, "complainant_hash"] = person
            planted += [(frame.at[m, "complaint_id"], key, int(frame.at[m, "received_at"].year)) for m in members]
    rows = pd.DataFrame(planted, columns=["complaint_id", "theme", "year"]).assign(kind="duplicate")
    return frame, pd.concat([truth, rows], ignore_index=True)
