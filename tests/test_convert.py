"""`awsquiz convert`: decks to Anki packages and back, Anki's own packages, CSV and TSV."""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
import zstandard
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.decks.anki_export import note_guid
from awsquiz.decks.deck_file import load_deck_file
from awsquiz.decks.library import load_library
from awsquiz.model import Card, CardType, Deck
from conftest import DECKS

runner = CliRunner()
SAMPLE = DECKS / "sample.yaml"
CLOZE = DECKS / "cloze.yaml"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def collection(package: Path) -> sqlite3.Connection:
    """The SQLite collection inside an .apkg, opened from a copy beside it."""
    target = package.with_suffix(".anki2")
    with zipfile.ZipFile(package) as archive:
        target.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(target)


def deck_of(path: Path) -> Deck:
    result = load_deck_file(path)
    assert result.deck is not None, [str(p) for p in result.errors]
    assert not result.errors
    return result.deck


def essentials(card: Card) -> tuple[object, ...]:
    return (card.type, card.question, card.answers, card.choices, card.tags)


# Decks to Anki and back -----------------------------------------------------------------------


def test_a_deck_becomes_one_anki_card_per_card_with_guids_that_stay(tmp_path: Path) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    for dest in (first, second):
        result = run("convert", str(SAMPLE), str(CLOZE), "encryption", str(dest))
        assert result.exit_code == 0, result.output
    every = load_library((), [str(SAMPLE), str(CLOZE), "encryption"]).cards()
    cards = len(every)
    # A note per card, but one per cloze and one per card with its reverse.
    notes = len({(c.deck, c.note if c.type is CardType.CLOZE or c.is_reverse else c.id)
                 for c in every})
    assert notes < cards
    assert f"3 decks, {notes} notes, {cards} Anki cards for {cards} awsquiz cards" in (
        result.output
    )
    db = collection(first)
    assert db.execute("select count(*) from cards").fetchone()[0] == cards
    names = {row[0] for row in db.execute("select decks from col")}
    assert "awsquiz::cloze-sample" in next(iter(names))
    guids = sorted(row[0] for row in db.execute("select guid from notes"))
    assert guids == sorted(row[0] for row in collection(second).execute("select guid from notes"))
    assert note_guid("sample", "of-vs-in") in guids
    models = {row[0] for row in db.execute("select models from col")}
    assert "Cloze" in next(iter(models))
    tags = {t for (row,) in db.execute("select tags from notes") for t in row.split()}
    assert {"test", "basics", "encryption"} <= tags


def test_yaml_to_apkg_to_yaml_keeps_every_cards_question_and_answer(tmp_path: Path) -> None:
    for source in (SAMPLE, CLOZE, Path(load_library((), ["encryption"]).decks[0].path)):
        package, back = tmp_path / f"{source.stem}.apkg", tmp_path / f"{source.stem}-back.yaml"
        assert run("convert", str(source), str(package)).exit_code == 0
        result = run("convert", str(package), str(back))
        assert result.exit_code == 0, result.output
        assert "0 skipped" in result.output
        before, after = deck_of(source), deck_of(back)
        assert [c.id for c in after.cards] == [c.id for c in before.cards]
        for old, new in zip(before.cards, after.cards, strict=True):
            assert essentials(new) == essentials(old), old.id
            assert new.accept == old.accept and new.why == old.why, old.id
            assert (new.explanation, new.source) == (old.explanation, old.source), old.id
        checked = run("check", str(back))
        assert checked.exit_code == 0, checked.output


# Anki's own packages --------------------------------------------------------------------------


def anki_package(path: Path) -> Path:
    """A package as Anki users make them: HTML fields, a reversed note, a two-deletion cloze,
    and a note type awsquiz cannot map."""
    deck = genanki.Deck(2059400110, "Security::Basics")
    deck.add_note(genanki.Note(
        model=genanki.BASIC_MODEL,
        fields=["What does <b>IAM</b> stand for?&nbsp;", "Identity&nbsp;and Access "
                "Management<br>see <a href='https://aws.amazon.com/iam/'>IAM</a> &amp; more"],
        tags=["iam", "basics"],
    ))
    deck.add_note(genanki.Note(
        model=genanki.BASIC_AND_REVERSED_CARD_MODEL,
        fields=["KMS", "<div>Key Management Service</div>"], tags=["kms"],
    ))
    deck.add_note(genanki.Note(
        model=genanki.CLOZE_MODEL,
        fields=["AWS secures {{c1::the cloud}}; you secure what is {{c2::in it::where?}}.",
                "The <i>shared responsibility</i> model"],
    ))
    three = genanki.Model(1607392319, "Three sides", fields=[{"name": n} for n in "ABC"],
                          templates=[{"name": f"Card {n}", "qfmt": f"{{{{{n}}}}}",
                                      "afmt": "{{A}}"} for n in "ABC"])
    deck.add_note(genanki.Note(model=three, fields=["a", "b", "c"]))
    deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["<img src='x.png'>", "x"]))
    deck.add_note(genanki.Note(model=genanki.CLOZE_MODEL, fields=[
        "{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4}}", ""]))
    genanki.Package(deck).write_to_file(str(path))
    return path


def test_an_anki_package_converts_to_a_deck_check_accepts(tmp_path: Path) -> None:
    package = anki_package(tmp_path / "security.apkg")
    dest = tmp_path / "security.yaml"
    result = run("convert", str(package), str(dest))
    assert result.exit_code == 0, result.output
    assert "deck 'security', 5 cards from 6 notes, 3 skipped" in result.output
    assert re.search(r"skipped 1, note \d+: note type 'Three sides'", result.output)
    assert ": an image occlusion note" in result.output
    assert "note type 'Three sides' makes 3 cards a note" in result.output
    assert ": the front is empty" in result.output
    checked = run("check", str(dest))
    assert checked.exit_code == 0, checked.output
    deck = deck_of(dest)
    assert deck.title == "Security::Basics"
    by_question = {card.question: card for card in deck.cards}
    iam = by_question["What does IAM stand for?"]
    assert iam.answers == ("Identity and Access Management\nsee IAM & more",)
    assert iam.tags == ("iam", "basics")
    assert by_question["Key Management Service"].is_reverse
    clozes = [card for card in deck.cards if card.type.value == "cloze"]
    assert [c.question for c in clozes] == [
        "AWS secures [...]; you secure what is in it.",
        "AWS secures the cloud; you secure what is [where?].",
    ]
    assert clozes[0].explanation == "The shared responsibility model"


def newer_package(path: Path) -> Path:
    """A package in the newer format: the collection zstd-compressed, its note types in
    tables with their kind in a protobuf blob."""
    db_path = path.with_suffix(".db")
    db = sqlite3.connect(db_path)
    db.executescript("""
        create table col (id integer primary key, models text, decks text);
        insert into col values (1, '{}', '{}');
        create table notetypes (id integer primary key, name text, mtime_secs integer,
                                usn integer, config blob);
        create table fields (ntid integer, ord integer, name text, config blob);
        create table templates (ntid integer, ord integer, name text, mtime_secs integer,
                                usn integer, config blob);
        create table decks (id integer primary key, name text);
        create table notes (id integer primary key, guid text, mid integer, mod integer,
                            usn integer, tags text, flds text, sfld text, csum integer,
                            flags integer, data text);
        create table cards (id integer primary key, nid integer, did integer, ord integer);
    """)
    db.execute("insert into notetypes values (1, 'Basic', 0, 0, x'1a00')")
    db.execute("insert into notetypes values (2, 'Cloze', 0, 0, x'08011a00')")
    db.executemany("insert into fields values (?, ?, ?, x'')",
                   [(1, 0, "Front"), (1, 1, "Back"), (2, 0, "Text"), (2, 1, "Back Extra")])
    db.executemany("insert into templates values (?, ?, ?, 0, 0, x'')",
                   [(1, 0, "Card 1"), (2, 0, "Cloze")])
    db.execute("insert into decks values (7, 'Parent\x1fChild')")
    db.executemany("insert into notes values (?, 'g', ?, 0, 0, ?, ?, '', 0, 0, '')", [
        (10, 1, " tls ", "What encrypts data in transit?\x1fTLS"),
        (11, 2, "", "{{c1::KMS}} keys and {{c2::HSM}}s\x1f"),
    ])
    db.executemany("insert into cards values (?, ?, 7, ?)",
                   [(100, 10, 0), (101, 11, 0), (102, 11, 1)])
    db.commit()
    db.close()
    compressed = zstandard.ZstdCompressor().compress(db_path.read_bytes())
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki2", b"an old client's placeholder, not read")
        archive.writestr("collection.anki21b", compressed)
    return path


def test_a_newer_compressed_package_is_read_too(tmp_path: Path) -> None:
    dest = tmp_path / "newer.yaml"
    result = run("convert", str(newer_package(tmp_path / "newer.apkg")), str(dest))
    assert result.exit_code == 0, result.output
    deck = deck_of(dest)
    assert deck.title == "Parent::Child"
    assert [(c.id, c.question, c.answers) for c in deck.cards] == [
        ("anki-10", "What encrypts data in transit?", ("TLS",)),
        ("anki-11-c1", "[...] keys and HSMs", ("KMS",)),
        ("anki-11-c2", "KMS keys and [...]s", ("HSM",)),
    ]
    assert deck.cards[0].tags == ("tls",)


def test_what_is_not_a_package_is_named(tmp_path: Path) -> None:
    fake = tmp_path / "fake.apkg"
    fake.write_text("not a zip")
    result = run("convert", str(fake), str(tmp_path / "out.yaml"))
    assert result.exit_code == 1
    assert "fake.apkg: not an Anki package" in result.output
    assert not (tmp_path / "out.yaml").exists()


# CSV and TSV ----------------------------------------------------------------------------------


def test_csv_with_quoted_commas_and_line_breaks_becomes_a_deck(tmp_path: Path) -> None:
    source = tmp_path / "cards.csv"
    source.write_text(
        '\ufeffquestion,answer,tags,explanation,source\n'
        '"Which, of these, is AWS\'s job?","Security OF the cloud",srm basics,'
        '"AWS runs the\ninfrastructure.",https://aws.amazon.com/compliance/\n'
        'What is KMS?,Key Management Service,"kms, keys",,\n'
        '\n'
        'What is KMS?,A second card with the same question,,,\n',
        encoding="utf-8",
    )
    dest = tmp_path / "cards.yaml"
    result = run("convert", str(source), str(dest))
    assert result.exit_code == 0, result.output
    assert "3 cards from 3 notes" in result.output
    deck = deck_of(dest)
    first, second, third = deck.cards
    assert first.question == "Which, of these, is AWS's job?"
    assert first.explanation == "AWS runs the\ninfrastructure."
    assert first.tags == ("srm", "basics") and second.tags == ("kms", "keys")
    assert (second.id, third.id) == ("what-is-kms", "what-is-kms-2")


def test_csv_problems_are_all_reported_by_line_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        'question,answer,source\n'
        '"a question\nover two lines",,\n'
        'q2,a2,not-a-web-address\n'
        'q3,a3,x,extra\n',
        encoding="utf-8",
    )
    dest = tmp_path / "bad.yaml"
    result = run("convert", str(source), str(dest))
    assert result.exit_code == 1
    out = result.output
    assert f"{source}:2:1: card 'a-question-over-two-lines': the answer is empty" in out
    assert f"{source}:4:1: card 'q2': source 'not-a-web-address' is not a web address" in out
    assert f"{source}:5:1: 4 fields; the header has 3" in out
    assert not dest.exists()
    header = tmp_path / "header.csv"
    header.write_text("front,back\nq,a\n", encoding="utf-8")
    refused = run("convert", str(header), str(dest))
    assert refused.exit_code == 1
    assert "unknown column 'front'" in refused.output and "needs the column(s) question, answer" \
        in refused.output


def test_decks_to_tsv_and_back(tmp_path: Path) -> None:
    listing = tmp_path / "cards.tsv"
    result = run("convert", str(SAMPLE), str(listing))
    assert result.exit_code == 0, result.output
    assert "5 cards of 1 deck" in result.output
    back = tmp_path / "sample-again.yaml"
    assert run("convert", str(listing), str(back)).exit_code == 0
    again = deck_of(back)
    assert [c.id for c in again.cards] == [c.id for c in deck_of(SAMPLE).cards]
    assert again.cards[1].question.endswith("\n1. Inherited\n2. Shared\n3. Customer-specific")


# Never overwrite, never half-written ----------------------------------------------------------


def test_an_existing_dest_is_kept_unless_forced(tmp_path: Path) -> None:
    dest = tmp_path / "out.apkg"
    dest.write_bytes(b"mine")
    refused = run("convert", str(SAMPLE), str(dest))
    assert refused.exit_code == 1
    assert "exists already; nothing was written" in refused.output
    assert "--force" in refused.output
    assert dest.read_bytes() == b"mine"
    forced = run("convert", str(SAMPLE), str(dest), "--force")
    assert forced.exit_code == 0, forced.output
    assert zipfile.is_zipfile(dest)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sample.yaml", "out.txt"], "DEST ends in .apkg (Anki), .yaml (a deck) or .csv"),
        (["out.apkg"], "name a SOURCE and a DEST"),
        (["x.apkg", "out.apkg"], "SOURCE is a deck"),
        (["sample.yaml", "out.yaml"], "SOURCE is an .apkg, .csv or .tsv file"),
    ],
)
def test_what_cannot_be_converted_is_a_usage_error(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample.yaml").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "x.apkg").write_bytes(b"")
    result = run("convert", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == []
