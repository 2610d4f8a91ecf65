"""TF-IDF over words and adjacent word pairs (phrases), built from a flat token corpus.

Scikit-learn conventions: parameters in ``__init__``, ``fit`` returns self, learned attributes end
with ``_``. Everything is vectorised with Arrow/NumPy (no Python loop over documents), so a corpus of
a million complaints is a few seconds of work.

Why pairs: "退费" alone is ambiguous, "预付卡 退费" is a theme. Pairs of adjacent content tokens
(stopwords already removed) work as cheap phrases and also give labels their wording.
Weighting: sublinear tf (1 + log tf) times smoothed idf squared (``idf_power``), rows L2-normalised.
Why squared: a word in many complaints (投诉, 要求, 处理 …, kept below ``max_df``) is shared by
every theme and pulls them together; idf² pushes such words further down than idf does, so LSA's
leading dimensions follow the rarer words that tell themes apart. Measured on the labelled real
sample (NMI against 一级分类, topics --topics 7, mean of 5 seeds): idf 0.468, idf^1.5 0.489, idf² 0.503,
idf^2.5 0.484; on random sub-samples of 250 / 370 messages (8 draws × 2 seeds) idf² 0.411 / 0.446
against 0.385 / 0.396 for idf, and at 92 LSA dimensions (what a 921-message export gets) 0.442 against
0.398. BM25's idf (0.488) and BM25 term frequencies (0.490-0.498) gain less (docs/quality.md).

Beside the words, character pairs (``char_weight``): every two adjacent characters of a complaint's
tokens written one after another, with plain sublinear TF-IDF, as a block of its own (each block
L2-normalised, the block weighted, the row normalised again). Words split one thing several ways
(停车位 / 车位 / 停车, 医保 / 医疗保险); its characters do not, and jieba's errors on names and new
words (二手房 cut 二手 房) matter less. Measured on the labelled sample with idf² words: NMI 0.504 →
0.543 (lowest seed 0.494 → 0.524; seeds 5-9 0.513 → 0.534; sub-samples of 250 / 370 messages 0.419
→ 0.457 / 0.449 → 0.472; automatic K 0.472 → 0.496); kept to as many as the word features, the most
frequent, 0.548 (0.529), 250 / 370: 0.436 / 0.500; and the consensus path on the 2,816-message
export is no slower than with words alone (12.8 against 14.3 s in one run), where all 45,000 pairs
made its LSA three times slower (a cap of 2,000 loses: 0.512). Pairs inside tokens only gain less (0.526):
the pair across two words (医|保, 车|位 of 停车 位) carries some of it. Labels and keywords read the
word block only (``vocabulary_``); the characters name nothing a briefing would say.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from analytics.text.corpus import Corpus
from analytics.text.features import PAIR_SEP, features


class PhraseTfidf(BaseEstimator, TransformerMixin):
    """Sublinear TF-IDF of words and adjacent word pairs.

    min_df: a feature must occur in at least this many documents (and pairs in ``min_df_phrase``).
    max_df: features in more than this fraction of documents carry no topic signal and are dropped.
    max_features: keep the most frequent features (by document frequency) beyond this number.
    idf_power: each feature's weight is idf ** idf_power (2: rare words weigh more; see the module).
    char_weight: weight of the character-pair block beside the words (0: words and pairs only).
    char_share: keep at most this many character pairs per word feature, the most frequent (1: the
        blocks are as wide as each other, which also bounds the cost of LSA on a wide vocabulary).
    """

    def __init__(
        self,
        phrases: bool = True,
        min_df: int = 2,
        min_df_phrase: int = 3,
        max_df: float = 0.5,
        max_features: int | None = 100_000,
        idf_power: float = 2.0,
        char_weight: float = 1.0,
        char_share: float = 1.0,
    ) -> None:
        self.phrases = phrases
        self.min_df = min_df
        self.min_df_phrase = min_df_phrase
        self.max_df = max_df
        self.max_features = max_features
        self.idf_power = idf_power
        self.char_weight = char_weight
        self.char_share = char_share

    def fit(self, corpus: Corpus, y: object = None) -> PhraseTfidf:
        feats, docs = features(corpus, self.phrases)
        encoded = pc.dictionary_encode(feats)
        codes = np.asarray(encoded.indices, dtype=np.int64)
        names = np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
        n_docs = max(len(corpus), 1)
        _, df = _document_frequency(codes, docs)  # every code 0..len(names)-1 occurs
        is_phrase = np.array([PAIR_SEP in n for n in names], dtype=bool) if len(names) else np.zeros(0, bool)
        keep = (df >= np.where(is_phrase, self.min_df_phrase, self.min_df)) & (df <= self.max_df * n_docs)
        chosen = np.flatnonzero(keep)
        if self.max_features is not None and len(chosen) > self.max_features:
            chosen = chosen[np.argsort(-df[chosen], kind="stable")[: self.max_features]]
        chosen = np.sort(chosen)
        self.vocabulary_ = names[chosen]
        self.document_frequency_ = df[chosen]
        self.idf_ = np.log((1 + n_docs) / (1 + self.document_frequency_)) + 1.0
        self.n_documents_ = n_docs
        self._index = pd.Index(self.vocabulary_)
        # Every feature occurrence of the sample is done with: freed before the character pairs,
        # whose arrays are as large (112,640 real messages: fit's peak 1.51 → 0.93-1.11 GB).
        del feats, docs, encoded, codes, names
        codes, char_docs = char_pairs(corpus) if self.char_weight else (np.zeros(0, np.int64), np.zeros(0, np.int64))
        char_vocabulary, char_df = _document_frequency(codes, char_docs)
        keep = (char_df >= self.min_df) & (char_df <= self.max_df * n_docs)
        chosen = np.flatnonzero(keep)
        most = int(self.char_share * len(self.vocabulary_))
        if len(chosen) > most:
            chosen = np.sort(chosen[np.argsort(-char_df[chosen], kind="stable")[:most]])
        self.char_vocabulary_ = char_vocabulary[chosen]  # sorted codes: first << 21 | second code point
        self.char_idf_ = np.log((1 + n_docs) / (1 + char_df[chosen])) + 1.0
        return self

    def transform(self, corpus: Corpus) -> sp.csr_matrix:
        feats, docs = features(corpus, self.phrases)
        if not hasattr(self, "_index"):
            self._index = pd.Index(self.vocabulary_)
        cols = self._index.get_indexer(pd.array(feats.to_numpy(zero_copy_only=False), dtype="object"))
        ok = cols >= 0
        counts = sp.csr_matrix(
            (np.ones(int(ok.sum()), dtype=np.float32), (docs[ok], cols[ok])),
            shape=(len(corpus), len(self.vocabulary_)),
        )
        words = _sublinear_unit(counts, (self.idf_**self.idf_power).astype(np.float32))
        if not self.char_weight or not len(self.char_vocabulary_):
            return words
        codes, char_docs = char_pairs(corpus)
        cols = np.searchsorted(self.char_vocabulary_, codes)
        cols = np.minimum(cols, len(self.char_vocabulary_) - 1)
        ok = self.char_vocabulary_[cols] == codes
        chars = sp.csr_matrix(
            (np.ones(int(ok.sum()), dtype=np.float32), (char_docs[ok], cols[ok])),
            shape=(len(corpus), len(self.char_vocabulary_)),
        )
        chars = _sublinear_unit(chars, self.char_idf_.astype(np.float32))
        both = sp.hstack([words, chars * np.float32(self.char_weight)], format="csr")
        return _sublinear_unit(both, None)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_index", None)
        return state


def _sublinear_unit(counts: sp.csr_matrix, weights: np.ndarray | None) -> sp.csr_matrix:
    """Rows L2-normalised; with ``weights``, raw counts first become (1 + log tf) · weight."""
    counts = sp.csr_matrix(counts)
    counts.sum_duplicates()
    if weights is not None:
        counts.data = (1.0 + np.log(counts.data)) * weights[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ counts)


def char_pairs(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """Every two adjacent characters of each document's tokens written one after another, as a code
    (first code point << 21 | second), with its document number."""
    if not len(corpus.tokens):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tokens = corpus.tokens.cast(pa.string()).fill_null("")
    whole = pa.ListArray.from_arrays(pa.array([0, len(tokens)], pa.int32()), tokens)
    text = pc.binary_join(whole, "")[0].as_py()  # all tokens as one string, no object per token
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.asarray(pc.utf8_length(tokens).fill_null(0), dtype=np.int64)
    docs = np.repeat(corpus.doc_index(), lengths)
    same = docs[:-1] == docs[1:]
    return (points[:-1][same] << 21) | points[1:][same], docs[:-1][same]


def _document_frequency(codes: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct codes (sorted) and in how many documents each occurs."""
    if not len(codes):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # One sort of (code, document) keys: a code is below 2**42, so up to 2**21 documents fit
    # beside it in an int64 (the vectoriser fits on a sample of at most 200,000).
    doc_bits = max(1, int(docs.max()).bit_length())
    if doc_bits > 21:
        vocabulary, inverse = np.unique(codes, return_inverse=True)
        unique_pairs = np.unique(docs * len(vocabulary) + inverse)
        return vocabulary, np.bincount(unique_pairs % len(vocabulary), minlength=len(vocabulary))
    keys = _distinct((codes << doc_bits) | docs) >> doc_bits  # each code once per document, sorted
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.diff(np.append(starts, len(keys)))


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values of ``keys``, sorted: ``np.unique`` without its hash table, which is an
    order of magnitude slower on the millions of keys of a vectoriser fit (3.3 s against 0.1 s)."""
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
