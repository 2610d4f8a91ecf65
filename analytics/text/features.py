"""Features of a token corpus: every word and (optionally) adjacent word pair, with its document.

Shared by the topic vectoriser (``analytics.topics.vectorize``) and the event stage
(``analytics.events``), which both read the token cache.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.text.corpus import Corpus
from analytics.text.segmenter import BREAK

PAIR_SEP = " "  # tokens never contain spaces, so "a b" is unambiguous


def features(corpus: Corpus, phrases: bool = True) -> tuple[pa.Array, np.ndarray]:
    """Every unigram and (optionally) adjacent pair of the corpus with its document number.

    Pairs stay inside a sentence (never across a ``BREAK``: not across the seam between the doubled
    title and the content either) and never repeat one word ("退款难 退款难" is no phrase).
    Sentence breaks are no feature.
    """
    tokens = corpus.tokens.cast(pa.string())
    docs = corpus.doc_index()
    is_break = np.asarray(pc.equal(tokens, BREAK).fill_null(False), dtype=bool) if len(tokens) else np.zeros(0, bool)
    words = np.flatnonzero(~is_break)
    unigrams = tokens.take(pa.array(words)) if is_break.any() else tokens
    if not phrases or len(tokens) < 2:
        return unigrams, docs[words]
    left, right = tokens.slice(0, len(tokens) - 1), tokens.slice(1)
    adjacent = (docs[:-1] == docs[1:]) & ~is_break[:-1] & ~is_break[1:]
    adjacent &= ~np.asarray(pc.equal(left, right).fill_null(False), dtype=bool)
    keep = pa.array(np.flatnonzero(adjacent))
    pairs = pc.binary_join_element_wise(left.take(keep), right.take(keep), PAIR_SEP)
    feats = pa.concat_arrays([unigrams, pairs.cast(pa.string())])
    return feats, np.concatenate((docs[words], docs[:-1][adjacent]))
