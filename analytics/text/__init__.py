"""Chinese text processing: the project's jieba segmenter, its dictionaries, the token cache.

Never the global jieba: ``Segmenter`` owns a ``jieba.Tokenizer`` loaded with ``data/dict``.
"""

from analytics.text.corpus import Corpus
from analytics.text.parallel import segmenter, tokenize_many
from analytics.text.segmenter import Segmenter, clean_text
from analytics.text.store import ensure_tokens, load_corpus, tokenizer_version

__all__ = [
    "Corpus",
    "Segmenter",
    "clean_text",
    "ensure_tokens",
    "load_corpus",
    "segmenter",
    "tokenize_many",
    "tokenizer_version",
]
