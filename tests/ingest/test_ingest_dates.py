"""marsad.extract.time (first version): month tables, date lines, the publication date of a text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from marsad.extract.time import (
    MONTHS,
    date_lines,
    find_publication_date,
    find_update_date,
    parse_date_line,
    read_date_line,
)
from marsad.text.normalize import normalize


@pytest.mark.parametrize(
    ("names", "month"),
    [
        (["يناير", "كانون الثاني", "جانفي"], 1),
        (["فبراير", "شباط", "فيفري"], 2),
        (["مارس", "آذار"], 3),
        (["أبريل", "إبريل", "نيسان", "أفريل"], 4),
        (["مايو", "ماي", "أيار"], 5),
        (["يونيو", "يونيه", "حزيران", "جوان"], 6),
        (["يوليو", "يوليوز", "تموز", "جويلية"], 7),
        (["أغسطس", "غشت", "آب", "أوت"], 8),
        (["سبتمبر", "أيلول"], 9),
        (["أكتوبر", "تشرين الأول"], 10),
        (["نوفمبر", "تشرين الثاني"], 11),
        (["ديسمبر", "كانون الأول"], 12),
    ],
)
def test_time_months_cover_every_family(names, month):
    for name in names:
        assert MONTHS[normalize(name)] == month, name
        assert parse_date_line(f"3 {name} 2021") == date(2021, month, 3), name


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("11مايو 2022", date(2022, 5, 11)),  # no space between day and month (seed 000)
        ("تاريخ النشر: 10 مايو 2022 22:45 GMT", datetime(2022, 5, 10, 22, 45, tzinfo=UTC)),
        ("تاريخ التحديث: 11 مايو 2022 7:02 GMT", datetime(2022, 5, 11, 7, 2, tzinfo=UTC)),
        ("الأربعاء 11-05 -2022", date(2022, 5, 11)),  # spaces around the separator (seed 003)
        ("١١ مايو ٢٠٢٢", date(2022, 5, 11)),  # Arabic-Indic digits
        ("10 أيلول/سبتمبر 2014", date(2014, 9, 10)),  # paired month names
        ("نُشر في: 3 كانون الأول 2021 - 10:30 صباحاً", datetime(2021, 12, 3, 10, 30)),
        ("آخر تحديث: 5 جويلية 2021 9:15 م", datetime(2021, 7, 5, 21, 15)),
        ("الأربعاء 10 شوال 1443 هـ - 11 مايو 2022 م", date(2022, 5, 11)),  # Hijri date alongside
        ("2022-05-11", date(2022, 5, 11)),
        ("12 غشت 2020 14:00 GMT+3", datetime(2020, 8, 12, 14, 0, tzinfo=timezone(timedelta(hours=3)))),
    ],
)
def test_time_parse_date_line(line, expected):
    assert parse_date_line(line) == expected


def test_time_numeric_date_uses_weekday_to_choose_day_and_month():
    # 05-11-2022 is 5 November (a Saturday) day-first, or 11 May (a Wednesday) month-first.
    assert parse_date_line("السبت 05-11-2022") == date(2022, 11, 5)
    assert parse_date_line("الأربعاء 05-11-2022") == date(2022, 5, 11)
    assert parse_date_line("05-11-2022") == date(2022, 11, 5)  # no weekday: day first


@pytest.mark.parametrize(
    "line",
    [
        "أعلنت الوزارة في 11 مايو 2022 أن الاجتماع سيعقد في مراكش",  # a sentence, not a date line
        "أنتوني بلينكن",
        "تأسس التحالف في سبتمبر 2014",  # no day
        "الفريق فاز 3-1 على ضيفه",
        "",
    ],
)
def test_time_sentences_are_not_date_lines(line):
    assert read_date_line(line) is None


def test_time_date_without_year_is_not_guessed():
    dl = read_date_line("الاثنين 9 من أيار")
    assert dl is not None and dl.value is None
    assert "no year" in dl.reason


def test_time_date_line_kinds():
    assert read_date_line("تاريخ النشر: 10 مايو 2022").kind == "published"
    assert read_date_line("تاريخ التحديث: 11 مايو 2022").kind == "updated"
    assert read_date_line("11مايو 2022").kind == ""


def test_time_publication_date_of_each_seed(seed_paths):
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in seed_paths}
    assert find_publication_date(texts["000"]) == (date(2022, 5, 11), "text: 11مايو 2022")
    value, note = find_publication_date(texts["001"])
    assert value is None
    assert note.startswith("text: اليوم، الاثنين 9 من أيار") and "not guessed" in note
    value, note = find_publication_date(texts["002"])
    assert value is None and note == "no publication date in the text"
    assert find_publication_date(texts["003"]) == (date(2022, 5, 11), "text: الأربعاء 11-05 -2022")
    value, note = find_publication_date(texts["004"])
    assert value == datetime(2022, 5, 10, 22, 45, tzinfo=UTC)
    assert note == "text: تاريخ النشر: 10 مايو 2022 22:45 GMT"
    updated, line = find_update_date(texts["004"])
    assert updated == datetime(2022, 5, 11, 7, 2, tzinfo=UTC)
    assert line.startswith("تاريخ التحديث")


def test_time_dateline_at_start_of_lead():
    text = "عنوان الخبر\n\nالرباط - 10 مايو 2022 (رويترز) - قال مسؤولون إن الاجتماع سيعقد في موعده المحدد."
    assert find_publication_date(text)[0] == date(2022, 5, 10)


def test_time_today_with_year_in_lead():
    text = "عنوان\n\nأعلنت الوزارة اليوم، الأربعاء 11 مايو 2022، أن الاجتماع سيعقد في مراكش بحضور الوزراء."
    value, note = find_publication_date(text)
    assert value == date(2022, 5, 11)
    assert note.startswith("text: اليوم، الأربعاء 11 مايو 2022")


def test_time_date_lines_only_read_the_head():
    text = "\n".join(["سطر"] * 10 + ["11 مايو 2022"])
    assert date_lines(text, head_lines=8) == ()
    assert len(date_lines(text, head_lines=20)) == 1


# --- an undated article that names its own day, dated from the articles it came with ----------------

LEAD_9_MAY = "أعلنت وزارة الخارجية المغربية اليوم، الاثنين 9 من أيار، أن المغرب يحتضن الاجتماع الوزاري."
LEAD_WEDNESDAY = "قال المشاركون في الاجتماع الوزاري الذي افتتح اليوم الأربعاء بمدينة مراكش إنهم عازمون."


def test_time_self_day_is_read_and_completed_on_the_weekday_that_fits():
    from marsad.extract.time import SelfDay, complete_self_day, find_self_day

    found = find_self_day(LEAD_9_MAY)
    assert (found.day, found.month, found.weekday) == (9, 5, 0) and "9 من أيار" in found.fragment
    assert complete_self_day(found, date(2022, 5, 11), 60) == date(2022, 5, 9)
    # 9 May falls on a Monday in 2022, not in 2021 or 2023: the weekday picks the year
    assert complete_self_day(found, date(2023, 1, 10), 400) == date(2022, 5, 9)
    assert complete_self_day(found, date(2023, 5, 11), 60) is None  # 2022-05-09 is a year away
    wed = find_self_day(LEAD_WEDNESDAY)
    assert (wed.day, wed.month, wed.weekday) == (None, None, 2)
    assert complete_self_day(wed, date(2022, 5, 10), 60) == date(2022, 5, 11)
    assert complete_self_day(SelfDay("اليوم", None), date(2022, 5, 10), 60) is None
    # a full date is the publication date's business, not a self day
    full = "أعلنت الوزارة اليوم، الاثنين 9 مايو 2022، أن الاجتماع سيعقد في مراكش الأسبوع المقبل."
    assert find_self_day(full) is None


def test_time_undated_articles_take_the_day_they_name_from_their_batch():
    from builders import make_article

    from marsad.extract.time import date_undated

    dated = [make_article(f"خبر رقم {i} عن الاجتماع الوزاري في مراكش وما دار فيه من نقاش.", published=d)
             for i, d in enumerate((date(2022, 5, 10), date(2022, 5, 11)))]
    may9, wed = make_article(LEAD_9_MAY), make_article(LEAD_WEDNESDAY)
    out = {a.id: a for a in date_undated([*dated, may9, wed], 60)}
    assert out[may9.id].published == date(2022, 5, 9) and out[wed.id].published == date(2022, 5, 11)
    assert out[may9.id].published_note.startswith("inferred: text: اليوم، الاثنين 9 من أيار")
    assert all(out[a.id] == a for a in dated)
    # alone, nothing to date them from; with the store's latest day, the day and month only
    assert date_undated([may9, wed], 60) == [may9, wed]
    alone = date_undated([may9, wed], 60, latest=date(2022, 5, 20))
    assert alone[0].published == date(2022, 5, 9) and alone[1] == wed
    # a batch spread over weeks does not say which Wednesday
    spread = [*dated, replace(dated[0], id="late", published=date(2022, 6, 20))]
    assert date_undated([*spread, wed], 60)[-1] == wed
