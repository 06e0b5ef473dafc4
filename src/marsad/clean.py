"""Drop page debris from scraped article text, and record what was dropped and why.

Scraped text carries the page around the article: icon captions, font-size controls, app/donation/
social appeals, share bars, related-article blocks, section labels, date lines, bylines, source lines,
outlet/dateline prefixes of the lead, the title (sometimes twice), a teaser of the lead before the lead
itself, and trailing credits. `clean` works from `Article.raw`, keeps the remaining paragraphs exactly
as written (only runs of spaces are collapsed) joined by blank lines, and lists every dropped piece as
a `Removal` with a span into `raw`. It never drops text because another article has it (that is
`dedupe`), and never changes letters (that is `text.normalize`).

The recognisers are general patterns of Arabic news pages, shared with ingest in
`marsad.ingest.lines`; the thresholds are in `settings.toml` `[clean]`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from marsad.errors import InputError
from marsad.ingest.lines import (
    APPEALS,
    ends_sentence,
    heading_carries_title,
    is_credit_line,
    is_dash_byline,
    lead_prefix,
    line_debris,
    norm_line,
    reads_as_prose,
    words,
)
from marsad.model import Article, Removal, Span
from marsad.settings import Settings

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LETTER = re.compile(r"[^\W\d_]")
_STOP_INSIDE = re.compile(r"(?<![.])[.!؟?](?![.])\s+\S+\s+\S+")
_KEY_TAIL = re.compile(r"[\s.,،؛;:!؟?…\"'»”)\-–—]+$")
# ". سمات الارهاب امريكا مبتعث" / "الوسوم: …" glued to the end of the last paragraph.
_INLINE_TAGS = re.compile(
    r"(?<=[.!؟?\"”»)])\s+(?:سمات|الوسوم|وسوم|الكلمات المفتاحية|كلمات مفتاحية|tags)\s*:?\s+[^.!؟?\n]{1,300}$"
)

# "رابط الخبر بصحيفة الوئام: <title>": the outlet's link line (alone on a line, `ingest.lines` drops it as
# `link`) glued to the end of the last paragraph of nearly every article of one SaudiNewsNet outlet (700
# of 714 on 3 days), with its page's empty script.
_SOURCE_LINK = re.compile(
    r"(?:/\*\s*\*/\s*)?رابط (?:الخبر|المقال|الموضوع)\s+(?:ب|في\s+)?(?:صحيفة|موقع|جريدة)\s+"
    r"[^:\n]{1,30}:[^\n]{0,300}$"
)


@dataclass(slots=True)
class _Line:
    start: int
    """Offset of the first non-space character in raw."""
    end: int
    """Offset after the last non-space character in raw."""
    text: str
    reason: str | None = None
    cut_head: int = 0
    """Characters dropped from the start (a lead prefix)."""
    cut_tail: int = 0
    """Characters dropped from the end (glued tags or an outlet's link line)."""
    tail_reason: str = "tags"
    _norm: str | None = None

    @property
    def norm(self) -> str:
        """Match form of the line (computed once; only short lines need it)."""
        if self._norm is None:
            self._norm = norm_line(self.text)
        return self._norm


def _lines(raw: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for piece in raw.split("\n"):
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            start = pos + lead
            out.append(_Line(start, start + len(stripped), stripped))
        pos += len(piece) + 1
    return out


def _key(text: str) -> str:
    """Comparison form of a paragraph: match form, single spaces, no trailing punctuation."""
    return _KEY_TAIL.sub("", norm_line(text))


class _Cleaner:
    """One pass over one article's lines; thresholds from `settings.clean`."""

    def __init__(self, article: Article, settings: Settings) -> None:
        cfg = settings.clean
        self.article = article
        self.max_debris = int(cfg.max_debris_chars)
        self.max_label = int(cfg.max_label_chars)
        self.min_body = int(cfg.min_body_chars)
        self.byline_words = int(cfg.max_byline_words)
        self.max_slogan = int(cfg.max_slogan_chars)
        self.slogan_words = int(cfg.max_slogan_words)
        self.max_related = int(cfg.max_related_title_chars)
        self.related_words = int(cfg.max_related_title_words)
        self.lead_window = int(cfg.lead_window)
        self.min_repeat = int(cfg.min_repeat_chars)
        if not article.raw:  # built without `raw` (older callers): the text is what was found
            article = dataclasses.replace(article, raw=article.text)
            self.article = article
        self.lines = _lines(article.raw)
        self.blocks: list[tuple[int, int, str]] = []
        """(first line, last line, reason) of removals covering several lines."""
        self.furniture_lines: frozenset[int] = frozenset()
        """Lines found to be page furniture wherever they stand (set by `furniture`)."""

    # -- helpers ---------------------------------------------------------------------------------
    def kept(self) -> list[_Line]:
        return [ln for ln in self.lines if ln.reason is None]

    def is_body(self, ln: _Line) -> bool:
        return len(ln.text) >= self.min_body or (ends_sentence(ln.text) and len(words(ln.norm)) >= 6)

    @staticmethod
    def may_be(ln: _Line, title: str) -> bool:
        """Cheap length test before comparing a line with the title in the match form."""
        return abs(len(ln.text) - len(title)) <= len(title) // 3 + 4

    def link_title(self, ln: _Line) -> bool:
        """A line that may be a listed related-article title: short, one clause, not a sentence.

        Long lines, lines ending as or holding a sentence, and lines that read as prose (see
        `reads_as_prose`: `و…` openers, clauses, complementisers, many words) are article text.
        """
        return (
            len(ln.text) <= self.max_related
            and not ends_sentence(ln.text)
            and _STOP_INSIDE.search(ln.text) is None
            and not reads_as_prose(ln.norm, self.related_words)
        )

    def debris(self, ln: _Line) -> str | None:
        return line_debris(ln.text, self.max_debris, self.byline_words)

    def block(self, first: int, last: int, reason: str) -> None:
        for k in range(first, last + 1):
            self.lines[k].reason = reason
        self.blocks.append((first, last, reason))

    # -- passes ----------------------------------------------------------------------------------
    def furniture(self) -> None:
        """Lines that are debris wherever they stand; related-article blocks with their titles."""
        lines = self.lines
        i = 0
        while i < len(lines):
            reason = self.debris(lines[i])
            if reason != "related-block":
                lines[i].reason = reason
                i += 1
                continue
            last = self.related_end(i)
            self.block(i, last, "related-block")
            i = last + 1
        # A section label between body paragraphs is a subheading of the article: keep it.
        body = [k for k, ln in enumerate(lines) if ln.reason is None and self.is_body(ln)]
        if body:
            for ln in lines[body[0] + 1 : body[-1]]:
                if ln.reason == "section-label":
                    ln.reason = None
        self.furniture_lines = frozenset(k for k, ln in enumerate(lines) if ln.reason is not None)

    def related_end(self, i: int) -> int:
        """The last line of the related-article block whose heading is line `i`.

        A bare heading (`اقرأ أيضاً:`) takes the link-title line right after it as its title. Beyond
        that the block runs over link-title lines only as far as the last debris line among them, or
        to the end of the page: titles followed by article text are not shown to be links, so they
        stay. A line of prose (see `link_title`) ends the block.
        """
        lines = self.lines
        last = i
        k = i + 1
        if (
            not heading_carries_title(lines[i].norm)
            and k < len(lines)
            and self.debris(lines[k]) is None
            and self.link_title(lines[k])
        ):
            last = k
            k += 1
        while k < len(lines):
            if self.debris(lines[k]) is not None:
                last = k
            elif not self.link_title(lines[k]):
                return last
            k += 1
        return len(lines) - 1

    def header(self) -> None:
        """Title line and its repeats, and author/agency credits, above the first body paragraph."""
        title = self.article.title
        title_key = _key(title) if title else ""
        seen_title = False
        for ln in self.lines:
            if ln.reason is not None:
                continue
            if title_key and self.may_be(ln, title) and _key(ln.text) == title_key:
                ln.reason = "repeated-title" if seen_title else "title"
                seen_title = True
                continue
            if self.is_body(ln):
                break
            norm = ln.norm
            if is_credit_line(norm, self.byline_words) or is_dash_byline(norm, self.byline_words):
                ln.reason = "byline"
        if title_key:  # a title repeated further down, before the lead's repeat check
            for ln in self.kept()[: self.lead_window]:
                if self.may_be(ln, title) and _key(ln.text) == title_key:
                    ln.reason = "repeated-title"

    def repeats(self) -> None:
        """A teaser of the lead before the lead (keep the full one); paragraphs given twice."""
        kept = self.kept()
        window = kept[: self.lead_window]
        # Keys of the first 80 characters decide cheaply whether two paragraphs can be equal or one
        # a prefix of the other; only then are the whole paragraphs compared.
        heads = [_key(ln.text[:80]) for ln in window]
        for a in range(len(window)):
            for b in range(a + 1, len(window)):
                ha, hb = heads[a], heads[b]
                if window[a].reason or window[b].reason or not (ha.startswith(hb) or hb.startswith(ha)):
                    continue
                ka, kb = _key(window[a].text), _key(window[b].text)
                if min(len(ka), len(kb)) < self.min_repeat:
                    continue
                if ka == kb:
                    window[b].reason = "repeated-paragraph"
                elif kb.startswith(ka):
                    window[a].reason = "repeated-lead"
                elif ka.startswith(kb):
                    window[b].reason = "repeated-lead"
        # Elsewhere only whole body paragraphs count as repeats (short lines repeat legitimately:
        # list items, refrains).
        seen: set[str] = set()
        for ln in kept:
            if ln.reason is not None or len(ln.text) < self.min_body:
                continue
            if ln.text in seen:
                ln.reason = "repeated-paragraph"
            seen.add(ln.text)

    def prefix(self) -> None:
        """The outlet/dateline prefix of the lead (`المدينة نيوز :- `, `مراكش "وكالات": `)."""
        for ln in self.kept():
            if self.is_body(ln):
                ln.cut_head = lead_prefix(ln.text)
                return

    def tail(self) -> None:
        """Appeal blocks and a lone credit at the end; tags glued to the last paragraph."""
        lines = self.lines
        # A trailing run of page furniture and short slogans that holds an appeal goes as one block,
        # but the slogans only when the article before them ends its last paragraph as a sentence:
        # in an article written without full stops a short line there is its last paragraph.
        j = len(lines) - 1
        while j >= 0 and (j in self.furniture_lines or (lines[j].reason is None and self.slogan(lines[j]))):
            j -= 1
        run = range(j + 1, len(lines))
        before = lines[j] if j >= 0 and lines[j].reason is None else None
        if any(lines[k].reason in APPEALS for k in run) and before is not None and ends_sentence(before.text):
            for k in run:
                if lines[k].reason is None:
                    lines[k].reason = "appeal-block"
        # A lone short credit (an outlet or author name) after the article's last sentence.
        kept = self.kept()
        if len(kept) > 1:
            last, before = kept[-1], kept[-2]
            ws = words(last.norm) if len(last.text) <= self.max_label else []
            if (
                ws
                and len(ws) <= 3
                and not any(w.isdigit() for w in ws)
                and not ends_sentence(last.text)
                and ends_sentence(before.text)
            ):
                last.reason = "trailing-credit"
                kept.pop()
        if kept:
            last = kept[-1]
            link = _SOURCE_LINK.search(last.text)
            if link:  # a link line of its own is `link` debris already (`ingest.lines`)
                last.cut_tail, last.tail_reason = len(last.text) - link.start(), "source-link"
            m = _INLINE_TAGS.search(last.text[: len(last.text) - last.cut_tail])
            if m and m.start() > len(last.text) // 3:
                last.cut_tail = len(last.text) - m.start()

    def slogan(self, ln: _Line) -> bool:
        """A short line of an appeal block: few words, not a sentence, no full stop inside, not prose."""
        return (
            len(ln.text) <= self.max_slogan
            and not ends_sentence(ln.text)
            and _STOP_INSIDE.search(ln.text) is None
            and not reads_as_prose(ln.norm, self.slogan_words)
        )

    # -- result ----------------------------------------------------------------------------------
    def result(self) -> Article:
        removed: list[Removal] = []
        in_block: set[int] = set()
        for first, last, reason in self.blocks:
            removed.append(Removal(Span(self.lines[first].start, self.lines[last].end), reason))
            in_block.update(range(first, last + 1))
        paragraphs: list[str] = []
        for k, ln in enumerate(self.lines):
            if ln.reason is not None:
                if k not in in_block:
                    removed.append(Removal(Span(ln.start, ln.end), ln.reason))
                continue
            body = ln.text[ln.cut_head : len(ln.text) - ln.cut_tail]
            if ln.cut_head:
                removed.append(Removal(Span(ln.start, ln.start + ln.cut_head), "outlet-prefix"))
            if ln.cut_tail:
                removed.append(Removal(Span(ln.end - ln.cut_tail, ln.end), ln.tail_reason))
            if "  " in body or "\t" in body or "\u00a0" in body:
                body = _SPACES.sub(" ", body)
            body = body.strip()
            if body:
                paragraphs.append(body)
        text = "\n\n".join(paragraphs)
        removed.sort(key=lambda r: (r.span.start, r.span.end))
        return dataclasses.replace(self.article, text=text, removed=tuple(removed))


def _has_letters(text: str, need: int) -> bool:
    """True when `text` has at least `need` letters (counted on a growing head, not the whole text)."""
    size = need * 4
    while True:
        if len(_LETTER.findall(text[:size])) >= need:
            return True
        if size >= len(text):
            return False
        size *= 4


def clean(article: Article, settings: Settings) -> Article:
    """The article with page debris removed from `raw` into `text`, and each removal recorded.

    Raises `InputError(article.path, "no article text left after cleaning")` when what remains has
    fewer than `settings.clean.min_text_chars` letters (the input was only page furniture).
    """
    c = _Cleaner(article, settings)
    c.furniture()
    c.header()
    c.repeats()
    c.prefix()
    c.tail()
    out = c.result()
    if not _has_letters(out.text, int(settings.clean.min_text_chars)):
        raise InputError(article.path, "no article text left after cleaning")
    return out
