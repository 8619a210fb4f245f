"""The coding of acts, actors and events: exact values, traced to the text, checked by the build."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest

from conftest import AGREEMENT_ID, ROOT, SOURCE_DIR, run, snapshot, source_text
from scripts.tables.text import normalize


def read(name: str) -> list[dict]:
    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def parties(clause: int, act: int, role: str) -> list[str]:
    act_id = f"{AGREEMENT_ID}-c{clause:02d}-a{act}"
    return [row["mention_text"] for row in read("act_actors") if row["act_id"] == act_id and row["role"] == role]


def test_exact_number_of_acts_of_each_type():
    assert Counter(row["act_type"] for row in read("acts")) == {
        "commitment": 5, "appeal": 4, "observation": 1, "gratitude": 1, "demand": 1, "attestation": 1,
    }


def test_acts_in_reading_order_with_their_verbs():
    assert [(row["clause_id"][-3:], row["act_number"], row["act_type"], row["verb_text"]) for row in read("acts")] == [
        ("c01", "1", "commitment", "commit to working together"),
        ("c02", "1", "observation", "note"),
        ("c03", "1", "commitment", "agree to cooperate"),
        ("c04", "1", "commitment", "pledge"),
        ("c04", "2", "commitment", "express the will"),
        ("c04", "3", "appeal", "call upon"),
        ("c05", "1", "commitment", "will work"),
        ("c06", "1", "appeal", "urge"),
        ("c07", "1", "gratitude", "thank"),
        ("c07", "2", "appeal", "urge"),
        ("c08", "1", "appeal", "urge"),
        ("c09", "1", "demand", "must hold"),
        ("c10", "1", "attestation", "Agreed"),
    ]


def test_clause_9_is_a_demand_with_its_addressees_target_and_forum():
    (act,) = [row for row in read("acts") if row["clause_id"].endswith("-c09")]
    assert act["act_type"] == "demand"
    assert parties(9, 1, "addressee") == [
        "governments", "the Organisation of Turkic States", "the Organisation of Islamic Cooperation",
        "the United Nations", "other international bodies",
    ]
    assert parties(9, 1, "target") == ["the Chinese government"]
    assert parties(9, 1, "forum") == ["the International Court of Justice"]


def test_clause_8_is_an_appeal_to_the_united_nations():
    (act,) = [row for row in read("acts") if row["clause_id"].endswith("-c08")]
    assert (act["act_type"], act["verb_text"]) == ("appeal", "urge")
    assert parties(8, 1, "addressee") == ["the United Nations"]
    actor = next(row for row in read("actors") if row["name"] == "United Nations")
    assert actor["actor_type"] == "intergovernmental-organization"


def test_clauses_4_and_7_hold_several_acts():
    assert parties(4, 3, "addressee") == ["Muslims everywhere"]
    assert parties(7, 1, "addressee") == ["the nations which have already recognized that Uyghurs are facing genocide"]
    assert parties(7, 2, "addressee") == ["other nations"]


def test_every_clause_has_an_act_and_every_act_is_spoken_by_the_signatories():
    acts = read("acts")
    assert {row["clause_id"] for row in acts} == {row["clause_id"] for row in read("clauses")}
    speakers = [row for row in read("act_actors") if row["role"] == "speaker"]
    assert sorted(row["act_id"] for row in speakers) == sorted(row["act_id"] for row in acts)
    assert {row["actor_id"] for row in speakers} == {f"{AGREEMENT_ID}-actor-signatories"}
    assert Counter(row["mention_text"] for row in speakers) == {
        "We": 9, "we": 1, "We the undersigned organizations": 1, "civil society organizations": 1, "": 1,
    }
    (implicit,) = [row for row in speakers if row["is_implicit"] == "true"]
    assert implicit["act_id"].endswith("-c09-a1")
    assert implicit["char_start"] == implicit["char_end"] == "1479"  # an empty span at the start of clause 9


def test_the_tribunal_determination_is_a_dated_event():
    events = {row["event_type"]: row for row in read("events")}
    assert sorted(events) == ["determination", "recognition", "signing"]
    assert (events["determination"]["date"], events["determination"]["mention_text"]) == (
        "2021-12-09",
        "determined on 9 December 2021",
    )
    assert events["determination"]["clause_id"].endswith("-c02")
    assert events["recognition"]["date"] == ""
    assert events["signing"]["date"] == "2022-01-30"


@pytest.mark.parametrize(
    "table, text", [("acts", "verb_text"), ("act_actors", "mention_text"), ("events", "mention_text")]
)
def test_every_coded_span_reconstructs_its_words_inside_its_clause(table, text):
    source = source_text()
    clauses = {row["clause_id"]: (int(row["char_start"]), int(row["char_end"])) for row in read("clauses")}
    act_clause = {row["act_id"]: row["clause_id"] for row in read("acts")}
    rows = [row for row in read(table) if row.get("is_implicit") != "true"]
    assert rows
    for row in rows:
        start, end = int(row["char_start"]), int(row["char_end"])
        assert normalize(source[start:end]) == row[text]
        clause_start, clause_end = clauses[row.get("clause_id") or act_clause[row["act_id"]]]
        assert clause_start <= start < end <= clause_end


def test_every_enum_has_labelled_categories_and_the_codebook_gives_the_same_codes_and_labels():
    codebook = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    paths = sorted((ROOT / "schemas").glob("*.json")) + [ROOT / "schemas" / "release" / "changes.json"]
    enums = 0
    for path in paths:
        schema = json.loads(path.read_text(encoding="utf-8"))
        for field in schema["fields"]:
            enum = field.get("constraints", {}).get("enum")
            if enum is None:
                assert "categories" not in field, (path.name, field["name"])
                continue
            enums += 1
            categories = [(c["value"], c["label"]) for c in field["categories"]]
            assert [value for value, _ in categories] == enum, (
                path.name,
                field["name"],
            )  # frictionless enforces enum, the checks categories: the same codes
            assert all(label and label[0].isupper() for _, label in categories), (path.name, field["name"])
            section = codebook.split(f"| {path.stem}.{field['name']} | label |", 1)[1].split("\n\n", 1)[0]
            assert re.findall(r"^\| `([a-z_-]+)` \| ([^|]+?) \|", section, flags=re.MULTILINE) == categories, (
                path.stem,
                field["name"],
            )
    assert enums == 16


def _edit_coding(root, old: str, new: str) -> None:
    path = root / SOURCE_DIR / "coding.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="\n")


BAD_CODING = {
    "mention pointing at the wrong words": (
        ("text: the Chinese government\n    span: [479, 501]", "text: the Chinese government\n    span: [480, 502]"),
        "coding.yaml, line 107 (acts[1].actors[3].span): the mention of 'chinese-government' 'the Chinese government' "
        "is not found at its span [480, 502], which reads 'he Chinese government.'",
    ),
    "verb outside its clause": (
        ("text: note\n    span: [318, 322]", "text: note\n    span: [1000, 1004]"),
        "coding.yaml, line 90 (acts[1].verb.span): "
        "the verb 'note' at [1000, 1004] is not in clause 2, which spans [315, 502]",
    ),
    "act type not in the codebook": (
        ("act_type: demand", "act_type: threat"),
        "coding.yaml, line 239 (acts[11].act_type): 'threat' is not one of the values schemas/acts.json allows for "
        "act_type: commitment, observation, appeal, gratitude, demand, attestation",
    ),
    "role not in the codebook": (
        ("role: forum", "role: venue"),
        "coding.yaml, line 272 (acts[11].actors[7].role): "
        "'venue' is not one of the values schemas/act_actors.json allows for role",
    ),
    "actor type not in the codebook": (
        ("actor_type: court", "actor_type: tribunal"),
        "coding.yaml, line 22 (actors[3].actor_type): "
        "'tribunal' is not one of the values schemas/actors.json allows for actor_type",
    ),
    "act without the signatories as speaker": (
        ("  - actor: signatories\n    role: speaker\n    text: We\n    span: [1386, 1388]\n", ""),
        "(acts[10].actors): act 8.1 has 0 speaker(s): every act has exactly one, and it is the signatories",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CODING))
def test_bad_coding_stops_the_build_with_a_clear_message(package, capsys, case):
    (old, new), expected = BAD_CODING[case]
    _edit_coding(package, old, new)
    before = snapshot(package / "data")
    code, _, err = run(package, "build", capsys=capsys)
    assert code != 0
    assert expected in err, err
    assert snapshot(package / "data") == before
