"""Entities through the store, the export, the reports, `marsad entities` and alias-expanded search."""

import json

import pytest

from marsad import cli
from marsad.extract.aliases import adopt_ids, entity_id_for
from marsad.model import Entity
from marsad.store import Store
from marsad.text.normalize import normalize


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_dir):
    path = tmp_path_factory.mktemp("ent") / "m.db"
    assert cli.main(["ingest", "--db", str(path), str(sample_dir)]) == 0
    return path


def _story(db):
    with Store(db) as store:
        return store.get_story(store.list_stories()[0].id)


def test_entities_stored_with_the_story_exactly_as_built(db, seed_run):
    built = seed_run.stories[0]
    stored = _story(db)
    assert stored.entities == built.entities
    assert any(e.name == "أنتوني بلينكن" for e in stored.entities)


def test_entities_mentions_are_stored_per_article_with_spans_into_the_text(db, seed_articles):
    with Store(db) as store:
        mentions = store.mentions(seed_articles)
    assert set(mentions) == set(seed_articles)
    for aid, ms in mentions.items():
        text = seed_articles[aid].text
        assert ms, aid
        for m in ms:
            assert m.norm == normalize(text[m.span.start : m.span.end])
            assert m.label in ("PER", "ORG", "LOC", "MISC")


def test_entities_in_the_json_export_follow_the_contract(db, capsys):
    code, out, _ = run(capsys, "export", "--db", db, "--format", "json")
    assert code == 0
    data = json.loads(out)
    story = (data["stories"] if isinstance(data, dict) else data)[0]
    ents = story["entities"]
    assert ents and all(set(e) >= {"name", "type", "aliases", "articles", "mentions"} for e in ents)
    isis = next(e for e in ents if "داعش" in e["aliases"])
    assert isis["type"] == "ORG" and "تنظيم الدولة" in isis["aliases"]
    assert set(isis["articles"]) == set(isis["mentions"]) and all(n > 0 for n in isis["mentions"].values())


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_entities_shown_in_every_report_format(db, capsys, fmt):
    sid = _story(db).id
    code, out, _ = run(capsys, "show", "--db", db, sid, "--format", fmt)
    assert code == 0
    assert "الكيانات" in out
    assert "أنتوني بلينكن" in out and "بلينكين" in out  # display name and another spelling


def test_entities_cli_lists_store_and_story_entities(db, capsys):
    code, out, _ = run(capsys, "entities", "--db", db, "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    blinken = [r for r in rows if "بلينكن" in r["aliases"]]
    assert len(blinken) == 1 and "بلينكين" in " ".join(blinken[0]["aliases"])
    sid = _story(db).id
    code, out, _ = run(capsys, "entities", "--db", db, "--story", sid, "--type", "PER")
    assert code == 0 and "أنتوني بلينكن" in out and " LOC " not in out
    code, _, err = run(capsys, "entities", "--db", db, "--story", "s-none")
    assert code != 0 and "no story" in err and "Traceback" not in err


def test_entities_search_expands_a_name_to_its_other_spellings(db, seed_articles):
    with Store(db) as store:
        hits = store.search("بلينكين")
        plain = store.search("الناتو")
    only_other = {aid for aid, a in seed_articles.items() if "بلينكين" not in a.text}
    assert only_other & {h.article_id for h in hits}, "no article spelling it بلينكن was found"
    assert {h.article_id for h in hits} == set(seed_articles)
    # الناتو is written nowhere; the gazetteer knows حلف شمال الأطلسي and ناتو are the same
    assert not any("الناتو" in a.text for a in seed_articles.values())
    assert plain and all("ناتو" in h.snippet or "الأطلسي" in h.snippet for h in plain)


def test_entities_adopt_the_id_the_store_already_knows():
    mine = Entity(entity_id_for("PER", "ناصر بوريطه"), "ناصر بوريطه", "PER", ("ناصر بوريطه", "بوريطة"),
                  (("a", 2),))
    other = Entity("eOTHER", "وزير", "PER", ("ناصر بوريطة",), (("b", 1),))
    stored = {"ناصر بوريطه": {("e-stored", "PER")}}
    out = adopt_ids([mine, other], lambda forms: {f: stored[f] for f in forms if f in stored})
    assert [e.id for e in out] == ["e-stored"]  # both name him in full: one entity under the stored id
    assert out[0].mentions == (("a", 2), ("b", 1))
    lone = adopt_ids([mine], lambda forms: {f: {("e-org", "ORG")} for f in forms})
    assert lone[0].id == mine.id  # a stored id of another type is not his


def test_entities_search_finds_a_name_spelled_with_another_g_letter(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("روسيا تبحث الأزمة\n\nوصل نائب وزير الخارجية الروسي سيرجي ريابكوف إلى الرياض أمس لبحث "
                   "الأزمة السورية مع المسؤولين.\n", encoding="utf-8")
    path = tmp_path / "m.db"
    assert cli.main(["ingest", "--db", str(path), str(doc)]) == 0
    with Store(path) as store:
        assert store.search("سيرغي ريابكوف"), "سيرغي is سيرجي written with غ"
