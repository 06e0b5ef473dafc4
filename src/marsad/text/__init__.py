"""Arabic text utilities: match form with offsets, sentences and tokens as spans."""

from marsad.text.normalize import Normalized, normalize, normalize_map
from marsad.text.sentences import sentence_spans, split_sentences
from marsad.text.tokens import STOPWORDS, Token, content_stems, stem, tokenize, words

__all__ = [
    "STOPWORDS",
    "Normalized",
    "Token",
    "content_stems",
    "normalize",
    "normalize_map",
    "sentence_spans",
    "split_sentences",
    "stem",
    "tokenize",
    "words",
]
