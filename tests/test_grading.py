"""Grading responses per the input protocol."""

from __future__ import annotations

import pytest

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
