"""Small server-rendered SVG pictures for the story page: when its events happened, and which outlets
published when. No script, nothing loaded from elsewhere; every label is escaped.

Time runs from right to left, as an Arabic reader reads: the earliest point is at the right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time

from markupsafe import Markup, escape

from marsad.model import Article, Story, TimelineEvent
from marsad.report import outlet_label

WIDTH = 640
"""viewBox width; the SVG scales to its container."""
MAX_OUTLETS = 12
"""Outlet rows drawn; the rest are counted in a note."""
MAX_STACK = 5
"""Events drawn on one day of the timeline; the rest are counted (`+n`)."""
_LABEL_W = 170  # right-hand column holding the outlet names
_LABEL_CHARS = 24  # longer outlet names are cut to fit the column (the full name is the tooltip)
_DAY_GAP = 80  # least distance between two day labels on the timeline axis
_CAPTION_H = 24  # the visible title above each picture
_PAD = 16


def _day(iso: str) -> date | None:
    """The first day an ISO `YYYY[-MM[-DD]]` names (a month or year at its start)."""
    parts = iso[:10].split("-")
    try:
        numbers = [int(x) for x in parts] + [1, 1]
        return date(numbers[0], numbers[1], numbers[2])
    except (ValueError, IndexError):
        return None


def _x(value: float, low: float, high: float, left: float, right: float) -> float:
    """Right-to-left position of `value` in [low, high] between x = right (low) and x = left (high)."""
    if high <= low:
        return (left + right) / 2
    return right - (value - low) / (high - low) * (right - left)


def timeline_svg(events: Sequence[TimelineEvent]) -> Markup | None:
    """The story's own dated events as points on a day axis (background events are left to the list)."""
    own = [(d, ev) for ev in events if not ev.background and (d := _day(ev.date)) is not None]
    if not own:
        return None
    days = sorted({d for d, _ in own})
    low, high = days[0].toordinal(), days[-1].toordinal()
    per_day: dict[date, int] = {}
    for d, _ in own:
        per_day[d] = per_day.get(d, 0) + 1
    axis = 14 + 12 * min(max(per_day.values()), MAX_STACK) + 4
    height = axis + 36
    left, right = _PAD + 40, WIDTH - _PAD - 40
    parts = [
        f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" class="axis"/>',
    ]
    count: dict[date, int] = {}
    for d, ev in own:
        count[d] = count.get(d, 0) + 1
        x = _x(d.toordinal(), low, high, left, right)
        if count[d] > MAX_STACK:
            continue
        y = axis - 12 * count[d]
        label = f"{ev.date}: {ev.text}"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="5" class="event"><title>{escape(label)}</title></circle>'
        )
    labelled: list[float] = []
    for i, d in enumerate(days):
        x = _x(d.toordinal(), low, high, left, right)
        parts.append(f'<line x1="{x:.1f}" y1="{axis}" x2="{x:.1f}" y2="{axis + 5}" class="tick"/>')
        if per_day[d] > MAX_STACK:
            parts.append(f'<text x="{x + 8:.1f}" y="{axis - 12 * MAX_STACK + 4}" class="more">'
                         f"+{per_day[d] - MAX_STACK}</text>")
        # the first and last days always; one between only where its label does not crowd another
        last_x = _x(high, low, high, left, right)
        if i in (0, len(days) - 1) or (
            all(abs(x - o) >= _DAY_GAP for o in labelled) and abs(x - last_x) >= _DAY_GAP
        ):
            labelled.append(x)
            parts.append(f'<text x="{x:.1f}" y="{axis + 20}" text-anchor="middle" class="label">'
                         f"{escape(d.isoformat())}</text>")
    return _svg(height, "التسلسل الزمني للأحداث (timeline)", parts, "chart-timeline")


def _moment(value: date | datetime) -> float:
    """Seconds since the epoch (a bare date at its noon, UTC; a naive time as UTC)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(12))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def outlets_svg(story: Story, articles: Mapping[str, Article]) -> Markup | None:
    """One row per outlet (most articles first), a point per article at its publication time."""
    dated = [articles[a] for a in story.article_ids if a in articles and articles[a].published is not None]
    if not dated:
        return None
    by_outlet: dict[str, list[Article]] = {}
    for a in dated:
        by_outlet.setdefault(a.source, []).append(a)
    outlets = sorted(by_outlet, key=lambda o: (-len(by_outlet[o]), o))
    shown, rest = outlets[:MAX_OUTLETS], len(outlets) - MAX_OUTLETS
    moments = [_moment(a.published) for a in dated]
    low, high = min(moments), max(moments)
    row_h, top = 26, 12
    height = top + row_h * len(shown) + 34
    left, right = _PAD + 10, WIDTH - _LABEL_W - _PAD
    parts = []
    for i, outlet in enumerate(shown):
        y = top + row_h * i + row_h / 2
        parts.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" class="row"/>')
        full = name = outlet_label(outlet)
        if len(name) > _LABEL_CHARS:  # cut at a word boundary where there is one
            cut = name[: _LABEL_CHARS - 1]
            name = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + "…"
        parts.append(f'<text x="{WIDTH - _PAD}" y="{y + 5}" class="label outlet" direction="rtl">'
                     f"<title>{escape(full)}</title>{escape(name)}</text>")
        for a in by_outlet[outlet]:
            x = _x(_moment(a.published), low, high, left, right)
            tip = f"{a.source} · {a.published.isoformat()} · {a.title}"
            parts.append(f'<circle cx="{x:.1f}" cy="{y}" r="5" class="article">'
                         f"<title>{escape(tip)}</title></circle>")
    axis_y = top + row_h * len(shown) + 6
    for value, anchor, x in ((low, "end", right), (high, "start", left)):
        when = datetime.fromtimestamp(value, UTC)
        text = when.strftime("%Y-%m-%d" if when.time() in (time(0), time(12)) else "%Y-%m-%d %H:%M")
        parts.append(f'<text x="{x}" y="{axis_y + 16}" text-anchor="{anchor}" class="label">'
                     f"{escape(text)}</text>")
    notes = []
    if rest > 0:
        notes.append(f"+{rest} منافذ أخرى")
    undated = sum(1 for a in story.article_ids if a in articles and articles[a].published is None)
    if undated:
        notes.append(f"{undated} بلا تاريخ" if undated > 1 else "مقال واحد بلا تاريخ")
    if notes:
        parts.append(f'<text x="{WIDTH - _PAD}" y="{axis_y + 16}" class="label" direction="rtl">'
                     f"{escape('، '.join(notes))}</text>")
    return _svg(height, "من نشر ومتى (outlets over time)", parts, "chart-outlets")


def days_svg(days: Mapping[date, int], title: str) -> Markup | None:
    """A bar per day from the first to the last day of `days` (how many stories that day), the
    earliest at the right; days with none keep their place, so gaps show."""
    if not days:
        return None
    first, last = min(days), max(days)
    n = (last - first).days + 1
    height, base = 96, 70
    left, right = _PAD + 20, WIDTH - _PAD - 20
    slot = (right - left) / n
    top = max(days.values())
    parts = [f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" class="axis"/>']
    for d, k in sorted(days.items()):
        i = (d - first).days
        x = right - (i + 1) * slot  # right to left: day 0 ends at the right edge
        h = max(2.0, (base - 8) * k / top)
        parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" width="{max(1.0, slot * 0.7):.1f}"'
                     f' height="{h:.1f}" class="bar"><title>{escape(f"{d.isoformat()}: {k}")}</title></rect>')
    labels = [(first, right), (last, left)] if first != last else [(first, (left + right) / 2)]
    for d, x in labels:
        anchor = "end" if x == right else "start" if x == left else "middle"
        parts.append(f'<text x="{x:.1f}" y="{base + 18}" text-anchor="{anchor}" class="label">'
                     f"{escape(d.isoformat())}</text>")
    parts.append(f'<text x="{WIDTH - _PAD}" y="12" class="label" direction="rtl">'
                 f"{escape(f'أكثر يوم: {top}')}</text>")
    return _svg(height, title, parts, "chart-days")


def _svg(height: int, title: str, parts: Sequence[str], css_class: str) -> Markup:
    """The picture with its title shown above it (at the right, where an Arabic reader starts)."""
    body = "\n".join(parts)
    return Markup(
        f'<svg class="chart {css_class}" viewBox="0 0 {WIDTH} {height + _CAPTION_H}" role="img"'
        f' aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>\n"
        f'<text x="{WIDTH - _PAD}" y="{_CAPTION_H - 4}" class="caption" direction="rtl">'
        f"{escape(title)}</text>\n"
        f'<g transform="translate(0 {_CAPTION_H})">\n{body}\n</g>\n</svg>'
    )
