"""report: one hand-built story rendered as dict, text, Markdown, JSON, HTML and exported in bulk."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from builders import make_article

from marsad import report
from marsad.model import Evidence, Passage, Span, Story, SummarySentence

SHARED = 'شاركت سلطنة عُمان اليوم في الاجتماع الوزاري للتحالف الدولي ضد "داعش" في مراكش.'
ONLY_C = "ويتكون التحالف من 84 دولة ومنظمة دولية وقد تأسس في سبتمبر 2014."

TEXT_A = f"مراكش (وكالات): {SHARED}\n\nوبحث الاجتماع سبل التعاون لمواجهة التحديات في القارة الإفريقية."
TEXT_B = f"{SHARED} وأكد الوزراء التزامهم.\n\nوجاء في البيان <script>alert('x')</script> أن العمل مستمر."
TEXT_C = f"قال مسؤولون إن الاجتماع ناجح.\n{ONLY_C}"

A_ID, B_ID, C_ID = "000_cee659f8af265109", "001_f3728d851f94ae24", "002_b0571c385b0db2d2"
A_URL = "https://omandaily.example/news/1?a=1&b=2"
C_URL = "http://aawsat.example/ar/2"


def _ev(article_id: str, text: str, part: str) -> Evidence:
    start = text.index(part)
    return Evidence(article_id, Span(start, start + len(part)))


@pytest.fixture
def articles():
    a = make_article(
        TEXT_A,
        id=A_ID,
        source="عمان",
        title="سلطنة عُمان تشارك في اجتماع التحالف",
        published=date(2022, 5, 11),
        url=A_URL,
        path="seed/000.txt",
    )
    b = make_article(
        TEXT_B,
        id=B_ID,
        source="الأيام",
        title="اجتماع مراكش",
        published=datetime(2022, 5, 11, 14, 30),
        path="seed/001.txt",
    )
    c = replace(
        make_article(
            TEXT_C,
            id=C_ID,
            source="الشرق الأوسط",
            title="قال مسؤولون إن الاجتماع ناجح.",
            url=C_URL,
            path="seed/002.txt",
        ),
        title_derived=True,
    )
    return {x.id: x for x in (a, b, c)}


@pytest.fixture
def story():
    return Story(
        id="s-0001",
        title="اجتماع التحالف الدولي ضد داعش في مراكش",
        article_ids=(A_ID, B_ID, C_ID),
        copies=(Passage(SHARED, (_ev(A_ID, TEXT_A, SHARED), _ev(B_ID, TEXT_B, SHARED))),),
        summary=(
            SummarySentence(SHARED, (_ev(A_ID, TEXT_A, SHARED), _ev(B_ID, TEXT_B, SHARED))),
            SummarySentence(ONLY_C, (_ev(C_ID, TEXT_C, ONLY_C),)),
        ),
    )


# --- story_dict and JSON -----------------------------------------------------------------------------


def test_report_story_dict_has_contract_keys_and_values(story, articles):
    d = report.story_dict(story, articles)
    assert {"id", "title", "articles", "copies", "summary"} <= d.keys()
    assert (d["id"], d["title"]) == ("s-0001", story.title)
    assert [a["id"] for a in d["articles"]] == [A_ID, B_ID, C_ID]
    for a in d["articles"]:
        assert {"id", "source", "title", "published", "path", "url", "text"} <= a.keys()
        assert a["text"] == articles[a["id"]].text
    first, second, third = d["articles"]
    assert (first["source"], first["url"], first["path"]) == ("عمان", A_URL, "seed/000.txt")
    assert first["published"] == "2022-05-11"  # a date stays a date
    assert second["published"] == "2022-05-11T14:30:00"  # a datetime keeps its time
    assert second["url"] is None and third["published"] is None
    # new keys may be added to a copy (provenance adds first/credit/carriers); these keep their values
    assert [{k: c[k] for k in ("text", "articles")} for c in d["copies"]] == [
        {"text": SHARED, "articles": [A_ID, B_ID]}
    ]
    assert {"text", "articles"} <= d["copies"][0].keys()
    assert [(s["text"], s["articles"]) for s in d["summary"]] == [(SHARED, [A_ID, B_ID]), (ONLY_C, [C_ID])]
    ev = d["summary"][1]["evidence"][0]
    assert TEXT_C[ev["start"] : ev["end"]] == ONLY_C and ev["article"] == C_ID


def test_report_story_dict_extra_keys(story, articles):
    d = report.story_dict(story, articles)
    assert d["outlets"] == ["عمان", "الأيام", "الشرق الأوسط"]
    assert (d["first_published"], d["last_published"]) == ("2022-05-11", "2022-05-11T14:30:00")
    assert [a["title_derived"] for a in d["articles"]] == [False, False, True]
    assert d["duplicates"] == []


def test_report_story_dict_missing_article_is_an_error(story, articles):
    del articles[B_ID]
    with pytest.raises(ValueError, match=B_ID):
        report.story_dict(story, articles)


def test_report_render_json_matches_story_dict(story, articles):
    out = report.render(story, articles, "json")
    assert json.loads(out) == report.story_dict(story, articles)
    assert "سلطنة عُمان" in out  # Arabic as-is, not \u escapes


def test_report_export_json(story, articles):
    other = replace(story, id="s-0002", article_ids=(C_ID,), copies=(), summary=())
    buf = io.StringIO()
    report.export([(story, articles), (other, articles)], "json", buf)
    data = json.loads(buf.getvalue())
    assert list(data) == ["stories"]
    assert [s["id"] for s in data["stories"]] == ["s-0001", "s-0002"]
    assert data["stories"][0] == report.story_dict(story, articles)
    assert "سلطنة" in buf.getvalue()


def test_report_export_json_empty():
    buf = io.StringIO()
    report.export([], "json", buf)
    assert json.loads(buf.getvalue()) == {"stories": []}


def test_report_export_jsonl_one_line_per_story(story, articles):
    other = replace(story, id="s-0002", article_ids=(C_ID,), copies=(), summary=())
    buf = io.StringIO()
    report.export(iter([(story, articles), (other, articles)]), "jsonl", buf)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["id"] for line in lines] == ["s-0001", "s-0002"]


def test_report_export_csv_one_row_per_article(story, articles, tmp_path):
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        report.export([(story, articles)], "csv", f)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == report.CSV_COLUMNS
    assert len(rows) == 1 + 3
    by_id = {r[2]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_id[A_ID]["story_title"] == story.title  # Arabic round-trips
    assert by_id[A_ID]["source"] == "عمان"
    assert by_id[A_ID]["published"] == "2022-05-11"
    assert by_id[B_ID]["url"] == "" and by_id[C_ID]["published"] == ""
    assert by_id[C_ID]["path"] == "seed/002.txt"


def test_report_export_md_concatenates_stories(story, articles):
    other = replace(story, id="s-0002", title="قصة ثانية", article_ids=(C_ID,), copies=(), summary=())
    buf = io.StringIO()
    report.export([(story, articles), (other, articles)], "md", buf)
    out = buf.getvalue()
    assert out.index("# اجتماع التحالف") < out.index("# قصة ثانية")


@pytest.mark.parametrize("fmt", ["xml", "", "HTML", "text"])
def test_report_export_unknown_format(story, articles, fmt):
    with pytest.raises(ValueError, match="format"):
        report.export([(story, articles)], fmt, io.StringIO())


@pytest.mark.parametrize("fmt", ["pdf", "", "Text", "jsonl", "csv"])
def test_report_render_unknown_format(story, articles, fmt):
    with pytest.raises(ValueError, match="format"):
        report.render(story, articles, fmt)


# --- text and Markdown -------------------------------------------------------------------------------


def test_report_text_lists_sources_for_each_summary_sentence(story, articles):
    out = report.render(story, articles, "text")
    assert out == report.render(story, articles)  # text is the default
    lines = out.splitlines()
    first = lines.index(f"1. {SHARED}")
    assert lines[first + 1].strip() == "[عمان 000_cee6…, الأيام 001_f372…]"
    second = lines.index(f"2. {ONLY_C}")
    assert lines[second + 1].strip() == "[الشرق الأوسط 002_b057…]"
    assert "2022-05-11" in out and "نصوص مشتركة" in out
    for a in articles.values():
        assert a.title in out and a.source in out
    assert "وأكد الوزراء التزامهم" not in out  # the text form lists articles, it does not print bodies


def test_report_markdown_links_summary_to_article_anchors(story, articles):
    out = report.render(story, articles, "md")
    summary = out[out.index("## الملخص") : out.index("## نصوص مشتركة")]
    assert f"[عمان](#article-{A_ID})" in summary
    assert f"[الأيام](#article-{B_ID})" in summary
    assert f"[الشرق الأوسط](#article-{C_ID})" in summary
    for aid in (A_ID, B_ID, C_ID):
        assert f'<a id="article-{aid}"></a>' in out
    assert "<script>" not in out  # raw HTML in article text is escaped
    assert "derived title" in out


# --- HTML --------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects element ids, in-page link targets, and the text inside <mark>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.fragments: list[str] = []
        self.marks: list[str] = []
        self.scripts = 0
        self._in_mark = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.fragments.append(attrs["href"][1:])
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")
        self.scripts += tag == "script"

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data):
        if self._in_mark:
            self.marks[-1] += data


@pytest.fixture
def html(story, articles):
    return report.render(story, articles, "html")


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_report_html_is_rtl_and_self_contained(html, articles):
    assert '<html lang="ar" dir="rtl">' in html
    assert '<meta charset="utf-8">' in html and 'name="viewport"' in html
    assert "Noto Naskh Arabic" in html
    own = {a.url.replace("&", "&amp;") for a in articles.values() if a.url}
    for url in re.findall(r"https?://[^\s\"'<>]+", html):
        assert url in own, url
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "generated by marsad" in html


def test_report_html_summary_links_point_to_existing_ids(html, story):
    page = _parse(html)
    section = html[html.index('id="summary"') : html.index('id="copies"')]
    for sentence in story.summary:
        li = next(li for li in section.split("<li>")[1:] if sentence.text.replace('"', "&#34;") in li)
        targets = re.findall(r'href="#([^"]+)"', li)
        assert targets == [f"article-{aid}" for aid in sentence.article_ids]
    assert page.fragments and all(f in page.ids for f in page.fragments)
    assert {f"article-{aid}" for aid in story.article_ids} <= page.ids


def test_report_html_escapes_article_text(html):
    assert _parse(html).scripts == 0
    assert "&lt;script&gt;alert(" in html


def test_report_html_marks_copy_passages(html):
    page = _parse(html)
    assert page.marks == [SHARED, SHARED]  # once in each carrying article, nowhere else


def test_report_html_copies_name_their_outlets(html):
    start = html.index('id="copies"')
    section = html[start : html.index("<section", start)]  # up to the next section (provenance)
    assert f'href="#article-{A_ID}"' in section and f'href="#article-{B_ID}"' in section
    assert f'href="#article-{C_ID}"' not in section


def test_report_html_articles_have_paragraphs_dates_and_derived_titles(html):
    article_a = html[html.index(f'id="article-{A_ID}"') : html.index(f'id="article-{B_ID}"')]
    assert article_a.count("<p>") == 2  # split on the blank line
    assert '<time datetime="2022-05-11">' in article_a
    assert f'href="{A_URL.replace("&", "&amp;")}"' in article_a
    article_c = html[html.index(f'id="article-{C_ID}"') :]
    assert "عنوان مشتق" in article_c
    assert article_c.count("<p>") == 1  # a single newline does not split a paragraph


def test_report_html_only_http_urls_are_links(story, articles):
    articles[A_ID] = replace(articles[A_ID], url="javascript:alert(1)")
    html = report.render(story, articles, "html")
    assert 'href="javascript:' not in html


def test_report_html_marks_overlapping_spans_once(story, articles):
    start = TEXT_A.index(SHARED)
    overlapping = Passage(SHARED[:10], (Evidence(A_ID, Span(start, start + 10)),))
    html = report.render(replace(story, copies=(*story.copies, overlapping)), articles, "html")
    assert _parse(html).marks == [SHARED, SHARED]


def test_report_article_anchor_is_safe():
    assert report.article_anchor("000_cee6") == "article-000_cee6"
    assert report.article_anchor('a b"<') == "article-a-b--"


# --- provenance --------------------------------------------------------------------------------------


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def test_report_story_dict_copies_carry_their_first_carrier_and_credit(story, articles):
    (copy,) = report.story_dict(story, articles)["copies"]
    assert copy["first"] == A_ID  # 2022-05-11 (a date, read as its midnight) before 14:30 that day
    assert copy["credit"] == "وكالات"  # A's dateline: `مراكش (وكالات):`
    assert copy["carriers"] == [
        {"article": A_ID, "source": "عمان", "published": "2022-05-11"},
        {"article": B_ID, "source": "الأيام", "published": "2022-05-11T14:30:00"},
    ]


def test_report_story_dict_articles_carry_their_original_share(story, articles):
    by_id = {a["id"]: a for a in report.story_dict(story, articles)["articles"]}
    assert (by_id[A_ID]["original_share"], by_id[A_ID]["shared_share"]) == (1.0, 0.0)
    assert (by_id[C_ID]["original_share"], by_id[C_ID]["shared_share"]) == (1.0, 0.0)
    shared = _letters(SHARED) / _letters(TEXT_B)
    assert by_id[B_ID]["shared_share"] == round(shared, 3)
    assert by_id[B_ID]["original_share"] == round(1 - shared, 3)
    assert all(a["republishes"] is None for a in by_id.values())


def test_report_story_dict_flags_a_republication(story, articles):
    dup = replace(story, duplicates=((A_ID, B_ID),))
    by_id = {a["id"]: a for a in report.story_dict(dup, articles)["articles"]}
    assert by_id[B_ID]["republishes"] == A_ID and by_id[A_ID]["republishes"] is None
    out = report.render(dup, articles, "text")
    assert "republishes" in out


def test_report_text_provenance_section(story, articles):
    out = report.render(story, articles, "text")
    section = out[out.index("(provenance)") :]
    lines = section.splitlines()
    carriers = [line.strip() for line in lines if line.strip().startswith(("1)", "2)"))]
    assert carriers[0].startswith("1) عمان 000_cee6…") and "credited to وكالات" in carriers[0]
    assert carriers[1].startswith("2) الأيام 001_f372…") and "credited" not in carriers[1]
    shared = _letters(SHARED) / _letters(TEXT_B)
    assert "- عمان 000_cee6…: 100% أصلي" in section
    assert f"- الأيام 001_f372…: {round((1 - shared) * 100)}% أصلي" in section
    assert f"{round(shared * 100)}% مشترك" in section
    # the header already gives outlets and the date range
    assert "المنافذ (outlets): 3 — عمان، الأيام، الشرق الأوسط" in out
    assert "2022-05-11 → 2022-05-11 14:30" in out


def test_report_text_probable_origin_without_credit(story, articles):
    articles[A_ID] = replace(articles[A_ID], text=articles[A_ID].text.replace("(وكالات)", "(مراسلنا)"))
    out = report.render(story, articles, "text")
    first = next(line for line in out.splitlines() if line.strip().startswith("1) عمان"))
    assert "probable origin" in first


def test_report_no_copies_no_provenance_section(story, articles):
    bare = replace(story, copies=())
    for fmt in ("text", "md", "html"):
        assert "provenance" not in report.render(bare, articles, fmt).replace("#provenance", "x"), fmt


def test_report_markdown_provenance_links_carriers(story, articles):
    out = report.render(story, articles, "md")
    section = out[out.index("## المصدر والنسخ (provenance)") : out.index("## المقالات")]
    assert section.index(f"(#article-{A_ID})") < section.index(f"(#article-{B_ID})")
    assert "credited to وكالات" in section
    assert f"[الشرق الأوسط](#article-{C_ID}): 100%" in section


def test_report_html_provenance_section(html):
    start = html.index('id="provenance"')
    section = html[start : html.index("<section", start)]
    assert section.index(f'href="#article-{A_ID}"') < section.index(f'href="#article-{B_ID}"')
    assert "منسوب إلى وكالات" in section
    assert '<a href="#provenance">' in html
    assert "<mark" not in section


def test_report_a_speaker_phrase_holding_one_persons_name_is_that_person(seed_run):
    """واستعرض بوريطة تجربة المغرب ... مشيراً: the quote extractor takes the verb's whole object as the
    speaker; the report names the one person whose spelling it holds, and leaves a phrase holding two."""
    from marsad.report import named_in, speaker_name

    (story,) = seed_run.stories
    speakers = {speaker_name(q, story) for f in seed_run.facts.values() for q in f.quotes}
    assert "بوريطة تجربة المغرب" not in speakers and "ناصر بوريطة" in speakers
    assert named_in("بوريطة تجربة المغرب", story, ("PER",)).name == "ناصر بوريطة"
    assert named_in("بوريطة ونظيره بلينكن", story, ("PER",)) is None
    assert named_in("تجربة المغرب", story, ("PER",)) is None


def test_report_a_speaker_given_by_post_alone_is_the_one_person_the_story_gives_that_post(seed_run):
    """قال وزير الشؤون الخارجية والتعاون الإفريقي والمغاربة المقيمين بالخارج (003, the name left out):
    the other articles write that post beside ناصر بوريطة, and no one else's."""
    from marsad.report import speaker_name, story_dict, story_titles

    (story,) = seed_run.stories
    arts = [seed_run.articles[a] for a in story.article_ids]
    titles = story_titles(story, arts)
    post = "وزير الشؤون الخارجية والتعاون الإفريقي والمغاربة المقيمين بالخارج"
    (q,) = [q for f in seed_run.facts.values() for q in f.quotes if q.speaker == post]
    assert speaker_name(q, story) == post  # without the posts, as written
    assert speaker_name(q, story, titles=titles) == "ناصر بوريطة"
    quoted = story_dict(story, seed_run.articles, facts=seed_run.facts)["quotes"]
    assert post not in {x["speaker"] for x in quoted}


def _posts(text: str, **people: str) -> dict:
    """`aliases.person_titles` of one article `text` naming these people (id=name, one spelling each)."""
    from marsad.extract.aliases import person_titles
    from marsad.model import Entity

    return person_titles([Entity(pid, name, "PER", (name,), (("a", 1),)) for pid, name in people.items()],
                         {"a": text})


def test_report_a_post_two_people_hold_or_one_too_short_to_tell_names_no_one():
    from marsad.extract.aliases import title_holder

    text = ("قال وزير الخارجية المغربي ناصر بوريطة ووزير الخارجية الأمريكي السيد أنتوني بلينكن إن الاجتماع "
            "ناجح. وأكد ناصر بوريطة وزير الخارجية والتعاون الإفريقي، أن المغرب مستعد.")
    titles = _posts(text, p1="ناصر بوريطة", p2="أنتوني بلينكن")
    assert title_holder("وزير الخارجية الأمريكي", titles) == "p2"
    assert title_holder("وزير الخارجية والتعاون الإفريقي", titles) == "p1"
    # not the next man's post after "and": ووزير الخارجية الأمريكي is بلينكن's, not بوريطة's
    assert titles["p1"] and not any("امريكي" in words for _, words in titles["p1"])
    assert title_holder("وزير الخارجية", titles) is None  # two ministers
    assert title_holder("الوزير المغربي", titles) is None  # too little to tell
    assert title_holder("وزارة الخارجية المغربية", titles) is None  # a body, not a post


def test_report_a_post_across_a_colon_or_of_a_longer_name_is_not_the_name_s():
    from marsad.extract.aliases import title_holder

    text = ('يقول كوشنير وزير خارجية فرنسا في مؤتمر صحفي: "الأمير سعود أكبر الساسة". '
            "وعين الأمير منصور بن متعب آل سعود وزير دولة وعضوا بمجلس الوزراء. "
            "وقال رئيس الاتحاد الكوري السابق إن سعود يستحق الجائزة.")
    titles = _posts(text, p3="سعود")
    assert not titles.get("p3")
    assert title_holder("وزير خارجية فرنسا", titles) is None
    assert title_holder("رئيس الاتحاد الكوري السابق", titles) is None  # إن: a clause, not his post


def test_report_a_deputy_s_or_a_former_holder_s_post_is_not_the_post():
    from marsad.extract.aliases import title_holder

    text = ("وقال نائب رئيس مجلس الوزراء خالد بحاح إن الحكومة عائدة. "
            "وأكد عمرو موسى الأمين العام السابق لجامعة الدول العربية أن الحل سياسي.")
    titles = _posts(text, p4="خالد بحاح", p5="عمرو موسى")
    assert title_holder("نائب رئيس مجلس الوزراء", titles) == "p4"
    assert title_holder("رئيس مجلس الوزراء", titles) is None  # the deputy is not the prime minister
    assert title_holder("الأمين العام السابق لجامعة الدول العربية", titles) == "p5"
    assert title_holder("الأمين العام لجامعة الدول العربية", titles) is None  # nor the former the holder


def test_report_a_body_named_by_its_head_noun_is_the_one_such_body_its_article_names(seed_run):
    """وقالت الوزارة في بيان (001): the article names one ministry, وزارة الخارجية المغربية."""
    from dataclasses import replace

    from marsad.report import speaker_name

    (story,) = seed_run.stories
    (q,) = [q for q in seed_run.facts[B_ID].quotes if q.speaker == "الوزارة"]
    assert speaker_name(q, story) == "وزارة الخارجية المغربية"
    # an article that names two ministries leaves "the ministry" as written
    us = "وزارة الخارجية الأمريكية"
    both = tuple(replace(e, mentions=((B_ID, 1), *e.mentions)) if e.name == us else e for e in story.entities)
    assert speaker_name(q, replace(story, entities=both)) == "الوزارة"


def test_report_the_statement_quoted_by_its_noun_alone_is_named_by_the_body_that_issued_it(seed_run):
    """وقالت الوزارة في بيان … وبحسب البيان (001), وكان بيان صادر عن وزارة الخارجية المغربية أكد … وقال
    البيان (004): "the statement" is the Moroccan foreign ministry's in both."""
    from marsad.report import story_dict

    (story,) = seed_run.stories
    quoted = story_dict(story, seed_run.articles, facts=seed_run.facts)["quotes"]
    theirs = [x for x in quoted if x["speaker"] == "وزارة الخارجية المغربية"]
    assert {x["article"] for x in theirs} >= {"001_f3728d851f94ae24", "004_c770d7c1d24c467f"}
    assert "البيان" not in {x["speaker"] for x in quoted}


def test_report_the_statement_of_two_bodies_or_of_none_stays_the_statement():
    from marsad.model import Facts, Quote, Story
    from marsad.report import story_quotes

    def quote(text: str, aid: str, said: str, who: str) -> Quote:
        start, at = text.index(said), text.index(who)
        return Quote(aid, Span(start, start + len(said)), said, "قال", False, who, Span(at, at + len(who)))

    two = ("وقالت الشرطة في بيان إن الطريق مغلق. وقال الدفاع المدني في بيان إن الحريق انطفأ. "
           "وأضاف البيان أن لا إصابات.")
    none = "وقالت الشرطة إن الطريق مغلق. وأضاف البيان أن لا إصابات."
    one = "وقالت الشرطة في بيانها إن الطريق مغلق. وأضاف البيان أن لا إصابات."
    texts = {"a": two, "b": none, "c": one}
    said_by = {"a": [("الطريق مغلق", "الشرطة"), ("الحريق انطفأ", "الدفاع المدني"), ("لا إصابات", "البيان")],
               "b": [("الطريق مغلق", "الشرطة"), ("لا إصابات", "البيان")],
               "c": [("الطريق مغلق", "الشرطة"), ("لا إصابات", "البيان")]}
    facts = {k: Facts(k, quotes=tuple(quote(texts[k], k, q, w) for q, w in v)) for k, v in said_by.items()}
    arts = [make_article(t, id=k) for k, t in texts.items()]
    story = Story("s", "t", tuple(texts), ())
    said = {(x["article"], x["text"]): x["speaker"] for x in story_quotes(story, facts, arts)}
    assert said[("a", "لا إصابات")] == "البيان"  # two bodies issued statements: which one is not told
    assert said[("b", "لا إصابات")] == "البيان"  # no statement introduced before
    assert said[("c", "لا إصابات")] == "الشرطة"


def test_report_a_statement_and_its_body_speak_for_the_body():
    from marsad.model import Story
    from marsad.report import _statement_body

    story = Story("s", "t", (), ())
    assert _statement_body("بيان للأمم المتحدة", story, None) == "الأمم المتحدة"
    assert _statement_body("بيان صادر عن وزارة الداخلية", story, None) == "وزارة الداخلية"
    assert _statement_body("بيان لجنة الشؤون الخارجية", story, None) == "لجنة الشؤون الخارجية"
    assert _statement_body("بيان لقوة المهام المشتركة", story, None) is None  # ل of the name, or a clitic?
    assert _statement_body("البيان", story, None) is None


def test_report_the_same_words_from_several_outlets_are_one_quote_citing_them_all():
    from marsad.model import Facts, Quote, Story
    from marsad.report import story_view

    said = {
        "a": "الأمر الملكي تضمن ترقية 24 قاضياً من درجة ملازم قاضي إلى درجة قاضي (ج)",
        "b": "الأمر الملكي تضمن ترقية (٢٤) قاضيا من درجة ملازم قاض إلى درجة قاضي ج",
        "c": "التعيينات ستسهم في سرعة البت في جميع القضايا وإيصال الحقوق لأصحابها",
    }
    texts = {k: f"وأوضح رئيس الديوان خالد اليوسف أن {v}." for k, v in said.items()}

    def quote(k: str) -> Quote:
        t, start = texts[k], texts[k].index(said[k])
        who = t.index("خالد اليوسف")
        return Quote(k, Span(start, start + len(said[k])), said[k], "أوضح", False, "خالد اليوسف",
                     Span(who, who + len("خالد اليوسف")))

    arts = {k: make_article(t, id=k) for k, t in texts.items()}
    facts = {k: Facts(k, quotes=(quote(k),)) for k in texts}
    view = story_view(Story("s", "t", tuple(texts)), arts, facts)
    (group,) = view["quotes"]
    assert [len(q["sources"]) for q in group["quotes"]] == [2, 1]
    assert group["quotes"][0]["text"] == said["a"]  # as the first article writes it


def test_report_his_highness_is_the_last_speaker_the_text_gives_that_honour():
    """سموه / معاليه name no one; the last named speaker before them is meant when the text calls that
    person سمو / معالي (or a prince, a minister), and no one otherwise."""
    from marsad.model import Entity, Facts, Quote, Story
    from marsad.report import story_quotes

    texts = {
        "a": "وأشار سمو الأمير خالد الفيصل إلى أن الجائزة مهمة. وأبان سموه أن المشاركة مفتوحة.",
        "b": "وأكد محمد الزهراني أن الأسر صابرة. وبين سموه أن الدولة ترعاهم.",
    }
    said = {"a": [("الجائزة مهمة", "خالد الفيصل"), ("المشاركة مفتوحة", "سموه")],
            "b": [("الأسر صابرة", "محمد الزهراني"), ("الدولة ترعاهم", "سموه")]}

    def quote(k: str, what: str, who: str) -> Quote:
        t = texts[k]
        start, at = t.index(what), t.index(who)
        return Quote(k, Span(start, start + len(what)), what, "قال", False, who, Span(at, at + len(who)))

    facts = {k: Facts(k, quotes=tuple(quote(k, w, s) for w, s in v)) for k, v in said.items()}
    people = (Entity("p1", "خالد الفيصل", "PER", ("خالد الفيصل",), (("a", 1),)),
              Entity("p2", "محمد الزهراني", "PER", ("محمد الزهراني",), (("b", 1),)))
    story = Story("s", "t", tuple(texts), entities=people)
    arts = [make_article(t, id=k) for k, t in texts.items()]
    got = {x["text"]: x["speaker"] for x in story_quotes(story, facts, arts)}
    assert got["المشاركة مفتوحة"] == "خالد الفيصل"
    assert got["الدولة ترعاهم"] == "سموه"  # الزهراني is given no highness
