"""Grading responses per the input protocol."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsquiz.model import Card, CardType, Rating
from awsquiz.session.grading import (
    Unreadable,
    grade_choices,
    normalize,
    pick_choices,
    self_rating,
    typed_is_right,
)

SHOWN = ("TLS 1.3", "SSE-KMS", "Client-side encryption", "SSE-S3")
MULTI = Card("d", "sse", CardType.MULTI, "q", ("SSE-S3", "SSE-KMS"), choices=SHOWN)
BASIC = Card("d", "of", CardType.BASIC, "q", ("AWS",), accept=("Amazon Web Services",))


@pytest.mark.parametrize(
    ("response", "picked"),
    [
        ("2", ("SSE-KMS",)),
        ("sse-kms", ("SSE-KMS",)),
        ("  Client-side encryption ", ("Client-side encryption",)),
    ],
)
def test_choice_by_number_or_text(response: str, picked: tuple[str, ...]) -> None:
    assert pick_choices(response, SHOWN, many=False) == picked


@pytest.mark.parametrize(
    "response",
    ["2,4", "2 4", "4, 2", "sse-kms, SSE-S3", "SSE-S3 SSE-KMS", "2, sse-s3"],
)
def test_multi_by_numbers_or_texts_in_any_order(response: str) -> None:
    picked = pick_choices(response, SHOWN, many=True)
    assert picked == ("SSE-KMS", "SSE-S3")
    assert grade_choices(MULTI, picked).right


def test_multi_choice_with_spaces_in_its_text() -> None:
    assert pick_choices("client-side encryption 1", SHOWN, many=True) == (
        "TLS 1.3", "Client-side encryption",
    )


def test_multi_needs_every_right_choice_and_no_wrong_one() -> None:
    assert not grade_choices(MULTI, ("SSE-S3",)).right
    assert not grade_choices(MULTI, ("SSE-S3", "SSE-KMS", "TLS 1.3")).right
    assert grade_choices(MULTI, ("SSE-S3",)).rating is Rating.AGAIN
    assert grade_choices(MULTI, ("SSE-KMS", "SSE-S3")).rating is Rating.GOOD


@pytest.mark.parametrize("response", ["", "5", "0", "SSE-C", "2, nine"])
def test_unreadable_responses_are_asked_again(response: str) -> None:
    with pytest.raises(Unreadable):
        pick_choices(response, SHOWN, many=True)


def test_typed_answers_ignore_case_spacing_and_punctuation() -> None:
    assert typed_is_right(BASIC, " aws ")
    assert typed_is_right(BASIC, "amazon web-services.")
    assert not typed_is_right(BASIC, "Azure")
    assert not typed_is_right(BASIC, "...")
    assert normalize("Security OF the cloud!") == "securityofthecloud"


def test_self_rating() -> None:
    assert self_rating("1") is Rating.AGAIN and self_rating(" 4 ") is Rating.EASY
    assert self_rating("good") is Rating.GOOD
    with pytest.raises(Unreadable):
        self_rating("5")


# -- linear in the response ------------------------------------------------------------------


def _reference_words(part: str, shown: tuple[str, ...]) -> tuple[str, ...]:
    """The protocol's meaning, written the slow way: at each word the longest run of words
    that is a choice's text (or a lone number) is taken."""
    by_text = {normalize(c): c for c in shown}
    words, picked, start = part.split(), [], 0
    while start < len(words):
        for end in range(len(words), start, -1):
            run = " ".join(words[start:end])
            if end == start + 1 and run.isascii() and run.isdigit():
                index = int(run)
                if not 1 <= index <= len(shown):
                    raise Unreadable(run)
                picked.append(shown[index - 1])
                break
            if normalize(run) in by_text:
                picked.append(by_text[normalize(run)])
                break
        else:
            raise Unreadable(words[start])
        start = end
    return tuple(c for c in shown if c in picked)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(
    ["tls", "1.3", "sse-kms", "SSE", "KMS", "client-side", "encryption", "sse-s3", "1", "4",
     "9", "-", "Client", "side"]), min_size=1, max_size=7))
def test_multi_parsing_means_what_the_protocol_says(words: list[str]) -> None:
    response = " ".join(words)
    try:
        expected: tuple[str, ...] | None = _reference_words(response, SHOWN)
    except Unreadable:
        expected = None
    if normalize(response) in {normalize(c) for c in SHOWN}:
        return  # a whole part that is one choice's text is that choice
    try:
        got: tuple[str, ...] | None = pick_choices(response, SHOWN, many=True)
    except Unreadable:
        got = None
    assert got == expected


@pytest.mark.parametrize(
    "response",
    [
        " ".join(["client"] * 1000),  # a prefix of a choice, over and over
        " ".join(["word"] * 1000),
        " ".join(["tls"] * 1000),
        "- " * 1000 + "sse-kms",
        " ".join(["1"] * 1000),
    ],
)
def test_a_long_multi_answer_costs_time_in_proportion_to_its_length(
    response: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 3 KB answer at a Select-TWO prompt once took 21 s (each run of words was tried
    against every longer one). Counted in characters normalized, not in seconds."""
    from awsquiz.session import grading

    seen = [0]
    real = grading.normalize

    def counting(text: str) -> str:
        seen[0] += len(text)
        return real(text)

    monkeypatch.setattr(grading, "normalize", counting)
    with contextlib.suppress(Unreadable):
        pick_choices(response, SHOWN, many=True)
    assert seen[0] <= 10 * len(response) + 1000


def test_a_huge_number_is_not_a_choice() -> None:
    with pytest.raises(Unreadable):
        pick_choices("9" * 5000, SHOWN, many=False)
    with pytest.raises(Unreadable):
        pick_choices("²", SHOWN, many=False)
