"""EventClusterer: one incident in many wordings is one event; look-alikes stay apart."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

import analytics.events.clustering as clustering_module
from analytics.events.clustering import EventClusterer
from analytics.events.entities import find_entities
from analytics.text import segmenter


def _counts(texts: list[str]) -> sp.csr_matrix:
    seg = segmenter()
    docs = [seg.tokens(t) for t in texts]
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    rows = [r for r, d in enumerate(docs) for _ in d]
    cols = [vocab[w] for d in docs for w in d]
    return sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(docs), len(vocab)))


def _fit(texts: list[str], days: list[int], **params) -> np.ndarray:
    entities = find_entities(texts).strong
    return EventClusterer(**params).fit(_counts(texts), entities=entities, days=np.array(days)).labels_


PLANT = [  # one mixing plant next to one estate, in different words and problems
    "丽发新城小区附近搅拌站噪音扰民",
    "丽发新城旁边搅拌站粉尘太大",
    "丽发新城附近混凝土搅拌站无证经营",
    "搅拌站大货车日夜进出丽发新城路口",
    "丽发新城业主投诉搅拌站夜间施工",
    "请取缔丽发新城旁的违建搅拌站",
]
LOOK_ALIKES = [  # the same problems elsewhere, and unrelated complaints
    "碧水花园楼下烧烤店油烟扰民",
    "碧水花园烧烤店夜间噪音",
    "碧水花园门口烧烤店占道经营",
    "学校附近网吧接纳未成年人",
    "医保报销比例咨询",
    "出租车拒载绕路",
]


def test_one_incident_in_many_wordings_is_one_event_and_look_alikes_stay_apart() -> None:
    labels = _fit(PLANT + LOOK_ALIKES, list(range(12)))
    plant = set(labels[:6])
    assert len(plant) == 1 and -1 not in plant
    assert labels[6] == labels[7] == labels[8] != labels[0]  # the other estate: its own event
    assert labels[0] == 0  # numbered by size: the largest event first
    assert (labels[9:] == -1).all()


def test_an_event_is_a_burst_not_a_year() -> None:
    # The same estate's complaints a year apart are two incidents.
    labels = _fit(PLANT + PLANT, [0, 3, 6, 9, 12, 15, 400, 403, 406, 409, 412, 415])
    assert len(set(labels[:6])) == 1 and len(set(labels[6:])) == 1 and labels[0] != labels[6]


def test_a_long_anchored_piece_is_cut_to_its_busiest_window() -> None:
    # One estate: a burst of complaints in one month, and the same complaints now and then over the
    # next ten months (each gap under ``gap_days``). The event is the burst, not the ten months.
    texts = PLANT * 2 + PLANT[:5]
    days = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 75, 130, 185, 240, 295]
    model = EventClusterer().fit(_counts(texts), entities=find_entities(texts).strong, days=np.array(days))
    burst = model.labels_[:13]  # the busiest 120 days: day 0 to day 75
    assert len(set(burst)) == 1 and burst[0] == 0
    assert (model.labels_[13:] == -1).all()
    kept = np.array(days)[model.labels_ == 0]
    assert kept.max() - kept.min() <= model.anchored_days


def test_different_cities_are_never_one_event_by_words() -> None:
    texts = ["咨询A7县独生子女证购房券问题", "咨询A7县独生子女证购房券", "咨询C8县独生子女证购房券问题"]
    places = [{"A"}, {"A"}, {"C"}]
    model = EventClusterer().fit(_counts(texts), entities=[[], [], []], days=np.zeros(3), places=places)
    assert model.labels_[0] == model.labels_[1] != model.labels_[2]


def test_blocks_are_reunited_by_their_entity() -> None:
    # A small block size splits the incident's text groups; the entity unites them again.
    labels = _fit(PLANT + LOOK_ALIKES, list(range(12)), block_size=4)
    assert len(set(labels[:6])) == 1 and labels[0] >= 0


def test_members_before_fit() -> None:
    with pytest.raises(NotFittedError):
        EventClusterer().members()


def test_a_big_corpus_gives_the_same_events_on_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = PLANT + LOOK_ALIKES + PLANT
    days = list(range(12)) + list(range(400, 406))
    serial = _fit(texts, days, block_size=5)
    monkeypatch.setattr(clustering_module, "PARALLEL_MIN_ROWS", 1)
    assert _fit(texts, days, block_size=5).tolist() == serial.tolist()


def test_no_events_means_no_members() -> None:
    # Complaints that share nothing: no event, and no empty one either (a crash in the event
    # descriptions on a small database before).
    model = EventClusterer().fit(
        _counts(["医保报销比例咨询", "出租车拒载绕路"]), entities=[[], []], days=np.array([0, 1])
    )
    assert model.n_events_ == 0 and model.members() == []
