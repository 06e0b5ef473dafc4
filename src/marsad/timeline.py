"""A story's dated events, in order, each a short sentence with its date and the articles that carry it.

Every time expression the extractor resolved to a day, month or year (`extract.time`, through the
articles' `Facts`) dates the sentence it stands in; that sentence (cut to `timeline.max_words` around
the expression) is the event. An undated article's expressions are resolved again against the story's
earliest publication date, with a note saying so. Events of different articles on the same date that
say nearly the same thing (stem overlap `timeline.same_event`) are one event citing all of them. An
event dated before the story's own days (its earliest publication minus `timeline.own_days`) is
background (the coalition founded in September 2014, a 2021 meeting in Rome) and is kept apart from
the story's own events. An article none of whose sentences is dated gives its lead sentence at its
publication date, with a note. Date lines (`تاريخ النشر: …`) and credit lines are not events, nor are the
other items of a round-up of briefs that joined the story for one of them (`_about_the_story`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from marsad.extract.time import MONTHS, WEEKDAYS, find_times, read_date_line
from marsad.model import Article, Evidence, Facts, Sentence, Span, TimeExpression, TimelineEvent, day_of
from marsad.settings import Settings
from marsad.similarity import idf
from marsad.text.normalize import normalize, normalize_map
from marsad.text.tokens import content_stems, stem, word_offsets

_DATED = ("time", "day", "month", "year")  # finest first
# Shown in parentheses after the event, so written without any of their own.
_NOTE_ANCHORED = "التاريخ محسوب من تاريخ القصة، لأن المقال بلا تاريخ نشر"
_NOTE_PUBLISHED = "تاريخ النشر، لأن النص لا يذكر تاريخا"


def _iso(value: str) -> str | None:
    """The `YYYY[-MM[-DD]]` part of a resolved value (a datetime keeps its day; intervals are skipped)."""
    if "/" in value:
        return None
    return value[:10]


def _day(iso: str) -> date:
    parts = [int(x) for x in iso.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)


def _clip(text: str, span: Span, start: int, end: int, max_words: int) -> tuple[int, int]:
    """The part of the sentence [start, end) of at most `max_words` words around `span`."""
    words = word_offsets(text[start:end])
    if len(words) <= max_words:
        return start, end
    at = next((i for i, (a, _, _) in enumerate(words) if start + a >= span.start), 0)
    first = max(0, min(at - max_words // 3, len(words) - max_words))
    last = first + max_words - 1
    return start + words[first][0], start + words[last][1]


def _names_a_date(text: str) -> bool:
    """Whether an expression names its date (a number, a month or a weekday) rather than only counting
    from the day of writing (اليوم، العام الماضي)."""
    norm = normalize(text)
    return any(c.isdigit() for c in norm) or any(w in MONTHS or w in WEEKDAYS for w in norm.split())


def _sentence_of(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    return next((s for s in sentences if s.span.start <= pos < s.span.end), None)


def _times(
    article: Article, facts: Facts | None, anchor: date | None
) -> tuple[tuple[TimeExpression, ...], str]:
    """The article's time expressions, resolved against its own date, or against `anchor` when it has
    none (with the note that says so)."""
    if article.published is None and anchor is not None:
        return find_times(replace(article, published=anchor)), _NOTE_ANCHORED
    return (facts.times if facts is not None else find_times(article)), ""


def build_timeline(
    articles: Sequence[Article],
    facts: Mapping[str, Facts],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
) -> tuple[TimelineEvent, ...]:
    """The story's events in date order: its own first, then the background, each group by date."""
    cfg = settings.timeline
    published = [d for d in (day_of(a.published) for a in articles) if d is not None]
    anchor = min(published) if published else None
    found: list[tuple[str, Article, Span, frozenset[str], str]] = []  # date, article, span, stems, note
    for a in articles:
        sents = sentences.get(a.id, ())
        times, note = _times(a, facts.get(a.id), anchor)
        dated_any = False
        # one date per sentence: its first of the finest granularity (the main verb's, usually: أعلنت
        # اليوم، الاثنين 9 من أيار، أن … يحتضن الاجتماع الأربعاء المقبل)
        best: dict[int, tuple[int, TimeExpression, Sentence]] = {}
        for t in times:
            if t.value is None or t.granularity not in _DATED or _iso(t.value) is None:
                continue
            if note and not _names_a_date(t.text):
                continue  # relative to a date the article does not give: اليوم of an undated article
            sent = _sentence_of(sents, t.span.start)
            if sent is None:
                continue
            rank = _DATED.index(t.granularity)
            if sent.span.start not in best or rank < best[sent.span.start][0]:
                best[sent.span.start] = (rank, t, sent)
        for _, t, sent in sorted(best.values(), key=lambda x: x[2].span.start):
            iso = _iso(t.value or "")
            text = sent.span.of(a.text)
            if iso is None or read_date_line(text) is not None or len(word_offsets(text)) < cfg.min_words:
                continue  # a date stamp or a fragment, not an event
            dated_any = True
            s, e = _clip(a.text, t.span, sent.span.start, sent.span.end, cfg.max_words)
            found.append((iso, a, Span(s, e), frozenset(content_stems(sent.norm)), note))
        if not dated_any and a.published is not None and sents:
            lead = next((x for x in sents if len(word_offsets(x.span.of(a.text))) >= cfg.min_words), None)
            if lead is not None and read_date_line(lead.span.of(a.text)) is None:
                iso = day_of(a.published).isoformat()
                s, e = _clip(a.text, lead.span, lead.span.start, lead.span.end, cfg.max_words)
                found.append((iso, a, Span(s, e), frozenset(content_stems(lead.norm)), _NOTE_PUBLISHED))

    # one event per date and content, citing every article that states it
    events: list[dict] = []
    for iso, a, span, stems, note in found:
        same = next(
            (ev for ev in events if ev["date"] == iso and ev["article"] != a.id
             and _overlap(ev["stems"], stems) >= cfg.same_event),
            None,
        )
        if same is not None:
            if a.id not in {e.article_id for e in same["evidence"]}:
                same["evidence"].append(Evidence(a.id, span))
            continue
        events.append({"date": iso, "article": a.id, "text": span.of(a.text).strip(), "stems": stems,
                       "evidence": [Evidence(a.id, span)], "note": note})
    if len(articles) >= cfg.relevance_min_articles:
        events = _about_the_story(events, articles, sentences, cfg.min_relevance)
    events = _most_reported(events, cfg.max_per_date)
    own_from = anchor.toordinal() - cfg.own_days if anchor else None
    out = []
    for i, ev in enumerate(events):
        background = own_from is not None and _day(ev["date"]).toordinal() < own_from
        if not background and own_from is not None and len(ev["date"]) < len("YYYY-MM-DD"):
            continue  # a month or year that holds the story's days (هذا العام) dates no event of it
        out.append((background, ev["date"], i, TimelineEvent(
            ev["date"], ev["text"], tuple(ev["evidence"]), background, ev["note"]
        )))
    return tuple(e for _, _, _, e in sorted(out, key=lambda x: (x[0], x[1], x[2])))


def _most_reported(events: list[dict], cap: int) -> list[dict]:
    """At most `cap` events a date: those the most articles state (then the first found), in their
    order. A big story's day is told by dozens of sentences that reword the same few developments."""
    by_date: dict[str, list[int]] = {}
    for i, ev in enumerate(events):
        by_date.setdefault(ev["date"], []).append(i)
    keep = {i for idx in by_date.values()
            for i in sorted(idx, key=lambda i: -len(events[i]["evidence"]))[:cap]}
    return [ev for i, ev in enumerate(events) if i in keep]


def _about_the_story(
    events: list[dict], articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], floor: float
) -> list[dict]:
    """The events whose words the story's other articles share: of an event's stems (IDF-weighted),
    at least `floor` must occur in some article that does not state it. A round-up of briefs joins a
    story for one of its items; the dates of its other items (a relief convoy beside a royal order
    appointing judges) are not the story's events. Only after the round-up switches items (`_SWITCH`):
    elsewhere an event only one article words so is a detail of the story, or of its headline."""
    by_id = {a.id: a for a in articles}
    stems: dict[str, frozenset[str]] = {}  # an article's content stems, read only once an item switches
    kept = []
    for ev in events:
        if not _after_switch(by_id[ev["article"]], ev["evidence"][0].span.end):
            kept.append(ev)  # no round-up item here: a detail only one article gives is still the story's
            continue
        if not stems:
            stems.update({a.id: frozenset(t for s in sentences.get(a.id, ()) for t in content_stems(s.norm))
                          for a in articles})
        cited = {e.article_id for e in ev["evidence"]}
        others = frozenset().union(*(v for k, v in stems.items() if k not in cited))
        words = [t for t in ev["stems"] if t not in _DATE_STEMS and not t.isdigit()]  # any date is shared
        total = sum(idf(t) for t in words)
        if not total or sum(idf(t) for t in words if t in others) / total >= floor:
            kept.append(ev)
    return kept


# The stems of the words that write a date (months, weekdays, يوم, أمس): every article has some.
_DATE_STEMS = frozenset(
    stem(w) for w in (*MONTHS, *WEEKDAYS, "يوم", "امس", "اليوم", "غدا", "الماضي", "المقبل") if " " not in w)

# What a round-up of briefs says between its items: "on another front", "in other news".
_SWITCH = re.compile("|".join(normalize(p) for p in (
    "من ناحية أخرى", "من ناحية ثانية", "من جهة أخرى", "من جهة ثانية", "على صعيد آخر", "على صعيد منفصل",
    "في شأن آخر", "في سياق آخر", "في سياق منفصل", "في خبر آخر", "في موضوع آخر", "إلى ذلك")))


def _after_switch(article: Article, pos: int) -> bool:
    """Whether a round-up's switch to another item (`_SWITCH`) ends before offset `pos` of the article
    (the end of the event's text: the switch may open its sentence)."""
    end = _first_switch(article.text)
    return end is not None and end <= pos


@functools.lru_cache(maxsize=1 << 10)
def _first_switch(text: str) -> int | None:
    """The end offset, in `text`, of its first `_SWITCH`, or None (memoised: each event of an article
    asks)."""
    folded = normalize_map(text)
    m = _SWITCH.search(folded.text)
    return None if m is None else folded.offsets[m.end() - 1] + 1


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared stems over the smaller set (a short report of the event inside a longer one still meets)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))

