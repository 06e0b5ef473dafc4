import pytest

from marsad.summarize import METHODS, summarize
from marsad.text.normalize import normalize
from marsad.text.tokens import words


@pytest.mark.parametrize("method", sorted(METHODS))
def test_summarize_every_sentence_has_real_sources(seed_run, settings, method):
    story = summarize(seed_run.stories[0], seed_run.articles, seed_run.sentences, settings, method)
    assert story.summary
    for s in story.summary:
        assert s.evidence
        own = s.evidence[0]
        assert own.span.of(seed_run.articles[own.article_id].text) == s.text
        for e in s.evidence:
            assert e.article_id in story.article_ids
            assert e.span.end <= len(seed_run.articles[e.article_id].text)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_summarize_respects_the_word_budget(seed_run, settings, method):
    story = summarize(seed_run.stories[0], seed_run.articles, seed_run.sentences, settings, method)
    n = sum(len(words(normalize(s.text))) for s in story.summary)
    first = len(words(normalize(story.summary[0].text)))
    assert n <= max(settings.summary.max_words, first)


def test_summarize_sentence_carried_by_two_outlets_cites_both(seed_run, settings):
    story = seed_run.stories[0]
    tight = settings.with_overrides({"summary": {"max_words": 400}})
    story = summarize(story, seed_run.articles, seed_run.sentences, tight, "centrality")
    assert any(len(s.article_ids) >= 2 for s in story.summary)


def test_summarize_unknown_method_is_refused(seed_run, settings):
    with pytest.raises(ValueError, match="unknown summariser"):
        summarize(seed_run.stories[0], seed_run.articles, seed_run.sentences, settings, "magic")


def test_summarize_story_title_is_a_real_headline_about_the_event(seed_run):
    story = seed_run.stories[0]
    titles = {a.title for a in seed_run.articles.values() if not a.title_derived}
    assert story.title in titles
    # the headline naming the meeting itself, not an angle on it (Blinken's absence, Oman's delegation)
    assert "اجتماع" in story.title and "كورونا" not in story.title


def test_summarize_skips_headings_fragments_and_attribution_tails(seed_run, settings):
    story = summarize(seed_run.stories[0], seed_run.articles, seed_run.sentences, settings, "centrality")
    for s in story.summary:
        assert not s.text.startswith("وفق ما ذكرته")
        assert s.text.rstrip("\"'»”“").endswith((".", "؟", "!"))
        assert len(words(normalize(s.text))) >= settings.summary.min_words


def test_summarize_story_without_full_stops_still_gets_a_sourced_summary(settings):
    from builders import make_article

    from marsad.model import Story
    from marsad.text.sentences import split_sentences

    text = (
        "افتتح وزير النقل اليوم المرحلة الأولى من مشروع القطار السريع بين المدينتين بحضور عدد من "
        "المسؤولين\n\n"
        "ويمتد الخط مسافة مئتي كيلومتر ويخدم نحو عشرين ألف راكب يوميا في مرحلته الأولى"
    )
    a = make_article(text, id="a")
    story = Story(id="s", title="", article_ids=("a",))
    out = summarize(story, {"a": a}, {"a": split_sentences(a, settings)}, settings)
    assert len(out.summary) == 1
    assert out.summary[0].text.startswith("افتتح وزير النقل")
    assert out.summary[0].article_ids == ("a",)
