import numpy as np
import pytest

from marsad import cli
from marsad.extract.entities import (
    crf_tagger,
    entity_scores,
    find_mentions,
    read_conll,
    spans_of,
    tagger,
    tokenize_ner,
    warm,
)
from marsad.text.normalize import normalize


def test_entities_bio_spans_close_on_a_new_label_and_open_on_a_stray_inside_tag():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC", "B-MISC"]
    assert spans_of(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "LOC"), (6, 7, "MISC")]
    assert spans_of([]) == []


def test_entities_scores_need_exact_span_and_type():
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O", "B-LOC"]]  # the person is cut short: a miss and a false alarm
    s = entity_scores(gold, pred)
    assert s["LOC"]["f1"] == 1.0
    assert s["PER"]["f1"] == 0.0
    assert s["micro"]["p"] == 0.5 and s["micro"]["r"] == 0.5
    assert s["macro"]["f1"] == 0.5


def test_entities_model_finds_people_and_places_in_a_news_sentence():
    sentence = "وقال وزير الخارجية الأمريكي أنتوني بلينكن في مراكش إن التحالف الدولي ضد داعش يضم 84 عضوا"
    words = sentence.split(" ")
    found = {(" ".join(words[a:b]), lab) for a, b, lab in spans_of(tagger().tag(words))}
    assert ("أنتوني بلينكن", "PER") in found
    assert ("مراكش", "LOC") in found
    assert all(lab in {"PER", "ORG", "LOC", "MISC"} for _, lab in found)


def test_entities_mentions_point_into_the_article_text(seed_run):
    for art in seed_run.articles.values():
        sents = seed_run.sentences[art.id]
        mentions = find_mentions(art, sents)
        assert mentions, art.id
        for m in mentions:
            surface = art.text[m.span.start : m.span.end]
            assert surface.strip() == surface and surface
            assert m.norm == normalize(surface)
    names = {art.text[m.span.start : m.span.end] for art in seed_run.articles.values()
             for m in find_mentions(art, seed_run.sentences[art.id]) if m.label == "PER"}
    assert any("بلينكن" in n for n in names) and any("بوريطة" in n for n in names)


def test_entities_tokens_split_punctuation_like_anercorp():
    text = "قال (بلينكن)، في مراكش."
    assert [text[a:b] for a, b in tokenize_ner(text)] == ["قال", "(", "بلينكن", ")", "،", "في", "مراكش", "."]


def test_entities_tag_cli_writes_one_tag_per_token(tmp_path, capsys):
    src = tmp_path / "in.conll"
    src.write_text("وزير O\nالخارجية O\nناصر B-PERS\nبوريطة I-PERS\n\nمراكش\n", encoding="utf-8")
    assert cli.main(["tag", str(src), "--format", "conll"]) == 0
    out = capsys.readouterr().out.split("\n")
    assert [line.split()[0] for line in out if line] == ["وزير", "الخارجية", "ناصر", "بوريطة", "مراكش"]
    assert out[4] == ""  # the sentence break is kept
    assert all(line.split()[1] in {"O"} | {f"{p}-{t}" for p in "BI" for t in ("PER", "ORG", "LOC", "MISC")}
               for line in out if line)
    assert read_conll(src)[1] == (["مراكش"], ["O"])
    assert cli.main(["tag", str(src), "--model", "crf"]) == 0
    crf = capsys.readouterr().out.split("\n")
    assert [line.split()[0] for line in crf if line] == ["وزير", "الخارجية", "ناصر", "بوريطة", "مراكش"]


def test_entities_tag_cli_names_the_bad_line(tmp_path, capsys):
    src = tmp_path / "bad.conll"
    src.write_text("وزير O\nناصر B-PERS extra\n", encoding="utf-8")
    assert cli.main(["tag", str(src)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.conll" in err and "line 2" in err
    with pytest.raises(ValueError, match="line 2"):
        read_conll(src)


def test_entities_tag_cli_spans_point_into_the_cleaned_text(seed_paths, seed_run, capsys):
    import json

    assert cli.main(["tag", str(seed_paths[0]), "--format", "spans"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows
    art = seed_run.articles[rows[0]["article"]]
    for r in rows:
        assert art.text[r["start"] : r["end"]] == r["text"]
        assert r["label"] in {"PER", "ORG", "LOC", "MISC"}


def _seed_sentences(seed_run) -> list[list[str]]:
    sentences = []
    for art in seed_run.articles.values():
        for s in seed_run.sentences[art.id]:
            text = s.span.of(art.text)
            sentences.append([text[a:b] for a, b in tokenize_ner(text)])
    return sentences


def test_entities_numpy_decoder_tags_like_crfsuite_on_every_seed_sentence(seed_run):
    t = crf_tagger()
    sentences = [*_seed_sentences(seed_run), []]
    batched = t.tag_many(sentences)
    assert sum(len(s) for s in sentences) > 1000
    assert any(tag != "O" for tags in batched for tag in tags)
    for words, tags in zip(sentences, batched, strict=True):
        assert tags == t.tag_reference(words) == t.tag(words)


def test_entities_lstm_tags_a_sentence_alike_alone_or_among_others(seed_run):
    t = tagger()
    sentences = [*_seed_sentences(seed_run), []]
    batched = t.tag_many(sentences)
    assert any(tag != "O" for tags in batched for tag in tags)
    for words, tags in zip(sentences, batched, strict=True):
        assert tags == t.tag(words)
        assert len(tags) == len(words)


def test_entities_the_shipped_tagger_is_the_lstm_not_the_crf(seed_run):
    from marsad.extract.lstm import LstmTagger

    assert isinstance(tagger(), LstmTagger)
    sentences = _seed_sentences(seed_run)
    lstm = {(i, a, b, lab) for i, tags in enumerate(tagger().tag_many(sentences))
            for a, b, lab in spans_of(tags)}
    crf = {(i, a, b, lab) for i, tags in enumerate(crf_tagger().tag_many(sentences))
           for a, b, lab in spans_of(tags)}
    assert lstm != crf and len(lstm) > 100


@pytest.mark.parametrize("make", [tagger, crf_tagger], ids=["lstm", "crf"])
def test_entities_warm_fills_the_word_cache_once(make):
    t = make()
    word = "كلمةلمتردقط" + make.__name__
    assert warm([f"{word} و{word}"], tagger=t) == 2
    assert warm([word], tagger=t) == 0
    assert t.tag([word]) == t.tag_many([[word]])[0]


@pytest.mark.parametrize("make", [tagger, crf_tagger], ids=["lstm", "crf"])
def test_entities_words_score_alike_in_a_block_alone_or_warmed_elsewhere(make):
    t = make()
    words = ["المملكة", "الرياض", "كلمةلمتردقطبعد", "وزير", "،"]
    forms, table = t.score_words(words)
    for w, form, row in zip(words, forms, table, strict=True):
        one_form, one = t.score_words([w])
        assert form == one_form[0] == normalize(w)
        assert np.allclose(row, one[0], rtol=1e-5, atol=1e-6)
    new = ["كلمةجديدةقطعا" + make.__name__, "وكلمةجديدةقطعا" + make.__name__]
    # tagged by a tagger whose cache never saw these words
    before = type(t).load().tag(new) if make is tagger else t.tag_reference(new)
    assert warm([" ".join(new)], pmap=map, tagger=t) == 2  # what a worker pool would map `score_words` with
    assert t.new_words(new) == []
    assert t.tag(new) == before


def test_entities_keys_leave_out_greetings_and_bare_titles_and_keep_two_word_surnames():
    from marsad.extract.entities import entity_keys

    # every wedding notice of a day ends with ألف مبروك: as a "name" it grouped 21 of them into one story
    notice = ("أفراح البريك احتفل الشاب عبدالحكيم عقيل البريك بزواجه من كريمة أحمد البريك بمحافظة بقعاء "
              "بحضور أقارب العروسين. ألف مبروك.")
    keys = entity_keys(notice)
    assert "البريك" in keys and not any("مبروك" in k for k in keys)
    # the Grand Mufti's surname is آل الشيخ, not the title الشيخ every sheikh shares
    keys = entity_keys("وقال سماحة المفتي العام الشيخ عبدالعزيز بن عبدالله آل الشيخ إن التفجير عمل إجرامي")
    assert normalize("آل الشيخ") in keys and "الشيخ" not in keys


def test_entities_many_articles_tagged_together_get_each_its_own_mentions_and_keys(seed_run):
    from marsad.extract.entities import entity_keys, entity_keys_many, find_mentions_many
    from marsad.similarity import lead_text

    arts = list(seed_run.articles.values())
    together = find_mentions_many([(a, seed_run.sentences[a.id]) for a in arts])
    assert together == [find_mentions(a, seed_run.sentences[a.id]) for a in arts]
    assert all(m.article_id == a.id for a, ms in zip(arts, together, strict=True) for m in ms)
    leads = [lead_text(a) for a in arts] + [""]
    assert entity_keys_many(leads) == [entity_keys(t) for t in leads]
    assert entity_keys_many([]) == []


def test_entities_a_known_disease_is_misc_never_part_of_a_person(seed_run):
    # the seeds write بكوفيد and بوباء كوفيد-19: the model alone took both for people
    found = [(art.text[m.span.start : m.span.end], m.label) for art in seed_run.articles.values()
             for m in find_mentions(art, seed_run.sentences[art.id])]
    covid = [(s, lab) for s, lab in found if "كوفيد" in s]
    assert covid and all(lab == "MISC" and s in ("كوفيد-19", "بكوفيد-19") for s, lab in covid)
    assert not any("كوفيد" in s or "كورونا" in s for s, lab in found if lab == "PER")


def test_entities_institutions_named_by_a_head_noun_are_found_with_their_bounds():
    from marsad.extract.entities import institution_spans, tokenize_ner

    text = ("قالت وزارة الخارجية السعودية اليوم إن حرس الحدود اللواء فلان وصل، ونقل إلى مستشفى الملك فهد "
            "بجدة، وأعلنت إدارة النادي أن بوزارة الداخلية لجنة الحج المركزية الثلاثاء")
    words = [text[a:b] for a, b in tokenize_ner(text)]
    found = [(" ".join(words[i:j]), skip) for i, j, skip in institution_spans(words)]
    assert found == [("وزارة الخارجية السعودية", 0), ("حرس الحدود", 0), ("مستشفى الملك فهد", 0),
                     ("بوزارة الداخلية", 1), ("لجنة الحج المركزية", 0)]


def _named(text: str) -> list[tuple[str, str]]:
    """(text, label) of each mention `find_mentions` finds in `text` read as one sentence."""
    from marsad.model import Article, Sentence, Span

    art = Article(id="a", source="x", path="x", title="", text=text)
    return [(text[m.span.start : m.span.end], m.label)
            for m in find_mentions(art, (Sentence("a", 0, Span(0, len(text)), ""),))]


def test_entities_an_institution_the_model_misses_is_a_mention_without_its_clitic():
    assert ("حرس الحدود", "ORG") in _named("أعلنت المديرية أن دورية تابعة لحرس الحدود ضبطت المهربين.")


def test_entities_institutions_with_a_general_head_a_place_or_a_title_s_name_chain():
    from marsad.extract.entities import institution_spans, tokenize_ner

    text = ("قامت طائرة من القيادة العامة لطيران الأمن بنقله إلى مستشفى الأمير سعود بن جلوي، وحضر الدفاع "
            "المدني وقوة المجاهدين، وقالت إدارة النادي إن القوات البرية للتعامل مع الموقف وصلت، وأكدت صحة "
            "الأحساء وشرطة بارق")
    words = [text[a:b] for a, b in tokenize_ner(text)]
    places = {words.index(w): words.index(w) + 1 for w in ("الأحساء", "بارق")}
    found = [" ".join(words[i:j]) for i, j, _ in institution_spans(words, places)]
    assert found == ["القيادة العامة لطيران الأمن", "مستشفى الأمير سعود بن جلوي", "الدفاع المدني",
                     "وقوة المجاهدين", "القوات البرية", "صحة الأحساء", "وشرطة بارق"]


def test_entities_small_places_after_a_trigger_and_ports_are_places():
    text = ("تعرض مركز المسيال بقطاع ظهران الجنوب لقذائف، ونقل المصابون عبر مطار الأحساء الإقليمي إلى مركز "
            "التدريب، وتحدث مدير شرطة بارق.")
    ms = _named(text)
    for found in [("المسيال", "LOC"), ("ظهران الجنوب", "LOC"), ("مطار الأحساء الإقليمي", "LOC"),
                  ("شرطة بارق", "ORG")]:
        assert found in ms
    assert not any("التدريب" in s for s, _ in ms)
    assert ("بارق", "LOC") not in ms  # inside the police's name


def test_entities_a_branch_with_its_place_an_embassy_and_a_hospital_named_for_a_king():
    text = ("نقل المصاب إلى مستشفى الملك فهد بالهفوف، وأكدت الشؤون الصحية بمحافظة الأحساء أن حالته "
            "مستقرة، وقال مدير شرطة محافظة بارق إن السفارة العمانية في الرياض أبلغت.")
    ms = _named(text)
    for found in [("مستشفى الملك فهد", "ORG"), ("الشؤون الصحية بمحافظة الأحساء", "ORG"),
                  ("شرطة محافظة بارق", "ORG"), ("السفارة العمانية", "ORG")]:
        assert found in ms
    assert not any("بالهفوف" in s for s, label in ms if label == "PER")  # not a person فهد بالهفوف


def test_entities_parliaments_high_bodies_and_the_nuclear_deal():
    text = ("وقال البرلمان الإيراني إن الاتفاق النووي يخدم إيران، ونقلت وكالة أنباء الجمهورية الإسلامية "
            "أن الهيئة العليا للسياحة والهيئة العليا لمراقبة نقل الحجاج اجتمعتا.")
    ms = _named(text)
    for found in [("البرلمان الإيراني", "ORG"), ("الاتفاق النووي", "MISC"), ("الهيئة العليا للسياحة", "ORG"),
                  ("وكالة أنباء الجمهورية الإسلامية", "ORG")]:
        assert found in ms
    # a body cut before its "for X" is not named by its first two words
    assert not any(s.endswith("العليا") for s, _ in ms)


def test_entities_a_body_s_for_x_is_its_name_when_it_runs_to_a_definite_word():
    ms = _named("اجتمعت الهيئة العليا لمراقبة نقل الحجاج مع الرئاسة العامة لرعاية الشباب، وقال مجلس الدفاع "
                "الوطني لاستعراض خطة تأمين الاحتفالات إن مستشفى الرس العام لإخضاعه لفحوصات الطب جاهز.")
    assert ("الهيئة العليا لمراقبة نقل الحجاج", "ORG") in ms and ("الرئاسة العامة لرعاية الشباب", "ORG") in ms
    # what a body does is no part of its name: too long a chain, or another "for" in it
    assert not any("لاستعراض" in t or "لإخضاعه" in t for t, _ in ms)


def test_entities_a_governor_s_office_relief_centre_and_social_network_are_organisations():
    from marsad.extract.entities import entity_keys

    text = ("وأعلنت إمارة جازان أن مركز الملك سلمان للإغاثة والأعمال الإنسانية وزع السلال، وغرد المتحدث على "
            "تويتر بأن دول التعاون الخليجي تدعم.")
    ms = _named(text)
    for found in [("إمارة جازان", "ORG"), ("مركز الملك سلمان للإغاثة والأعمال الإنسانية", "ORG"),
                  ("تويتر", "ORG"), ("التعاون الخليجي", "ORG")]:
        assert found in ms
    # the network a statement was posted on is no key two articles about one event share
    assert "k:twitter" not in entity_keys("غرد الوزير على تويتر") and "k:gcc" in entity_keys(text)
    # nor is the agency an article credits
    assert not any("afp" in k for k in entity_keys("باريس (أ ف ب) - قالت وكالة فرانس برس"))


def test_entities_a_person_s_family_name_after_the_model_s_span_is_part_of_it():
    from marsad.extract.entities import family_ends

    sentence = "استقبل الأمير فيصل بن بندر آل سعود أمس"
    norms = [normalize(w) for w in sentence.split()]
    assert family_ends(norms, {(1, 5): "PER"}) == {(1, 5): 7}
    assert family_ends(norms, {(1, 4): "PER"}) == {}


def test_gazetteer_a_longer_form_of_the_same_name_starting_inside_a_match_runs_on():
    from marsad.extract.gazetteer import Gazetteer

    gaz = Gazetteer([("mbs", "PER", "الأمير محمد بن سلمان"), ("mbs", "PER", "محمد بن سلمان بن عبدالعزيز"),
                     ("egypt", "LOC", "مصر"), ("cairo", "LOC", "القاهرة الكبرى"),
                     ("x", "LOC", "مصر القاهرة")])
    text = "استقبل الأمير محمد بن سلمان بن عبدالعزيز في مصر القاهرة الكبرى"
    words = [normalize(w) for w in text.split(" ")]
    # one name runs on; two names of different keys that overlap do not
    assert [(a, b, e.key) for a, b, e in gaz.find(words)] == [(1, 7, "mbs"), (8, 10, "x")]


def test_entities_a_sentence_that_ends_on_an_institution_s_head():
    from marsad.extract.entities import institution_spans

    for head in ("شرطة", "إمارة", "مستشفى", "الشؤون"):
        assert institution_spans(["وحضرت", head], {}) == []
        assert _named(f"وحضرت {head}") == []
