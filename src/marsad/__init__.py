"""marsad: Arabic news articles from many outlets turned into stories you can trust."""

import logging

from marsad.errors import InputError, MarsadError, NotFoundError, SettingsError, StoreError
from marsad.model import Article, Evidence, Passage, Removal, Sentence, Span, Story, SummarySentence

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Evidence",
    "InputError",
    "MarsadError",
    "NotFoundError",
    "Passage",
    "Removal",
    "Sentence",
    "SettingsError",
    "Span",
    "StoreError",
    "Story",
    "SummarySentence",
    "__version__",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
