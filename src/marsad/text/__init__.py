"""Arabic text utilities: match form with offsets, sentences and tokens as spans."""

from marsad.text.normalize import Normalized, normalize, normalize_map

__all__ = ["Normalized", "normalize", "normalize_map"]
