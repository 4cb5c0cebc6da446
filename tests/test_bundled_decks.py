"""The bundled AWS security and compliance decks: present, valid, and above the content floors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from awsquiz.decks.advice import fairness
from awsquiz.decks.deck_file import load_deck_file
from awsquiz.decks.discovery import deck_files
from awsquiz.model import Card, CardType, Deck
from awsquiz.system.paths import bundled_decks_dir

EXPECTED_DECKS = {
    "shared-responsibility",
    "control-types",
    "compliance",
    "encryption",
    "security-pillar",
    "designing-for-failure",
    "root-user",
}
MIN_CARDS = 300
MIN_PER_DECK = 25
# Fair choices: a test-wise learner must not score by picking the longest choice.
MAX_LONGEST_SHARE = 0.30
MAX_MUCH_LONGER_SHARE = 0.05
MIN_WHY_SHARE = 0.80
MIN_CHOICE_SHARE = 0.40
MIN_MULTI_SHARE = 0.10
SOURCE_HOSTS = {"aws.amazon.com", "docs.aws.amazon.com"}
LOCALIZED_PATH = re.compile(r"^/[a-z]{2}_[a-z]{2}/")


def _load_all() -> dict[str, Deck]:
    decks: dict[str, Deck] = {}
    for path in deck_files(bundled_decks_dir()):
        result = load_deck_file(path)
        assert not result.errors, "\n".join(str(p) for p in result.errors)
        assert result.deck is not None
        assert result.deck.id not in decks, f"deck id {result.deck.id} used twice"
        decks[result.deck.id] = result.deck
    return decks


@pytest.fixture(scope="module")
def decks() -> dict[str, Deck]:
    return _load_all()


@pytest.fixture(scope="module")
def cards(decks: dict[str, Deck]) -> list[Card]:
    return [card for deck in decks.values() for card in deck.cards]


def test_bundled_deck_files_have_no_problems() -> None:
    for path in deck_files(bundled_decks_dir()):
        result = load_deck_file(path)
        assert result.problems == [], "\n".join(str(p) for p in result.problems)


def test_the_seven_decks_exist(decks: dict[str, Deck]) -> None:
    assert set(decks) >= EXPECTED_DECKS


def test_each_deck_file_is_named_after_its_id(decks: dict[str, Deck]) -> None:
    for deck_id in EXPECTED_DECKS:
        assert Path(decks[deck_id].path).stem == deck_id
        assert decks[deck_id].title and decks[deck_id].description


def test_card_floors(decks: dict[str, Deck], cards: list[Card]) -> None:
    assert len(cards) >= MIN_CARDS
    for deck_id in EXPECTED_DECKS:
        assert len(decks[deck_id].cards) >= MIN_PER_DECK, deck_id


def test_card_type_mix(cards: list[Card]) -> None:
    choice = sum(card.type is CardType.CHOICE for card in cards)
    multi = sum(card.type is CardType.MULTI for card in cards)
    assert choice / len(cards) >= MIN_CHOICE_SHARE
    assert multi / len(cards) >= MIN_MULTI_SHARE


def test_multi_cards_have_several_answers_and_a_wrong_choice(cards: list[Card]) -> None:
    for card in cards:
        if card.type is CardType.MULTI:
            assert len(card.answers) >= 2, card.key
            assert len(card.answers) < len(card.choices), card.key


def test_every_card_explains_cites_and_is_dated(cards: list[Card]) -> None:
    for card in cards:
        assert card.explanation.strip(), f"{card.key}: no explanation"
        url = urlparse(card.source)
        assert url.scheme == "https", f"{card.key}: source {card.source!r}"
        assert url.hostname in SOURCE_HOSTS, f"{card.key}: source {card.source!r}"
        assert not LOCALIZED_PATH.match(url.path), f"{card.key}: localized {card.source!r}"
        if card.verified is not None:  # a card never checked says so by having no date
            assert dt.date.fromisoformat(card.verified) <= dt.date(2026, 12, 1), card.key


def test_cards_never_verified_are_few_and_named_in_coverage(cards: list[Card]) -> None:
    unverified = {card.key for card in cards if card.verified is None}
    assert len(unverified) <= 10, sorted(unverified)
    coverage = (bundled_decks_dir() / "COVERAGE.md").read_text(encoding="utf-8")
    section = coverage.split("## Not yet verified", 1)[-1]
    assert all(f"`{key}`" in section for key in unverified), sorted(unverified)


def test_choices_do_not_give_the_answer_away_by_length(cards: list[Card]) -> None:
    figures = fairness(cards)
    assert figures.longest <= MAX_LONGEST_SHARE * figures.cards, figures.lines()
    assert figures.much_longer <= MAX_MUCH_LONGER_SHARE * figures.cards, figures.lines()
    assert figures.explained >= MIN_WHY_SHARE * figures.wrong, figures.lines()


def test_card_ids_are_stable_and_explicit(cards: list[Card]) -> None:
    for card in cards:
        assert re.fullmatch(r"[a-z0-9-]+", card.id), card.key
        assert not card.id_derived, f"{card.key}: id derived from the question"


def test_coverage_names_only_existing_cards(cards: list[Card]) -> None:
    coverage = bundled_decks_dir() / "COVERAGE.md"
    refs = re.findall(r"`([a-z0-9-]+/[a-z0-9-]+)`", coverage.read_text(encoding="utf-8"))
    assert refs, "COVERAGE.md names no cards"
    keys = {card.key for card in cards}
    missing = sorted(set(refs) - keys)
    assert not missing, f"COVERAGE.md names cards that do not exist: {missing}"
