"""One card of a deck file's `cards` list: its type, question, choices, answers and notes."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from typing import Any

from awsquiz.decks.advice import long_answer, undated_volatile
from awsquiz.decks.nodes import (
    Checker,
    child,
    has_errors,
    is_null,
    optional_list,
    optional_text,
    plain_text,
    raw_text,
    read_common,
    read_notes,
    slugify,
    warn_missing,
)
from awsquiz.model import Card, CardType
from awsquiz.model.answer_text import choice_problems, is_command
from awsquiz.model.build import construct

CARD_KEYS = (
    "id", "type", "question", "text", "answer", "accept", "choices", "why",
    "explanation", "source", "verified", "tags", "reverse",
)
CARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


_CARD_TYPES = [t.value for t in CardType]
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


def read_card(node: Any, deck_id: str, deck_tags: list[str], checker: Checker) -> list[Card]:
    """The cards of one entry of `cards`: one, or two with `reverse`, or a cloze's cards."""
    errors_before = len(checker.problems)
    raw_id = raw_text(node, "id")
    derived = raw_id is None
    name = raw_id or slugify(raw_text(node, "question") or raw_text(node, "text") or "card")
    fields = checker.mapping(node, "a card", CARD_KEYS, name)
    if fields is None:
        return []
    if not derived and not CARD_ID.match(name or ""):
        checker.error(
            fields["id"][1], "a card id must be letters, digits, '-', '_' or '.'", name
        )
    card_type = _read_type(fields, checker, name)
    if card_type is CardType.CLOZE:
        from awsquiz.decks.cloze_card import read_cloze  # slow to import: only for a cloze

        return read_cloze(node, fields, deck_id, deck_tags, checker, derived, errors_before)
    question = optional_text(fields, "question", checker, name)
    if "text" in fields:
        checker.error(
            fields["text"][0], "'text' is for cloze cards (type: cloze); this card has a "
            "'question'", name,
        )
    if "question" not in fields or (question is not None and not question.strip()):
        checker.error(node, "missing 'question'", name)

    choices = read_choices(fields, card_type, checker, name)
    answers = read_answers(node, fields, card_type, choices, checker, name)
    accept = optional_list(fields, "accept", checker, name) or []
    if accept and card_type is not CardType.BASIC:
        checker.error(fields["accept"][0], "'accept' applies only to basic and cloze cards", name)
    for index, text in enumerate(accept):
        if is_command(text):
            checker.error(child(fields["accept"][1], index), f"accept '{text}' would be read as "
                          f"the command '{text.strip().lower()}' (q quits, f flags)", name)
    why = read_why(fields, choices, answers, checker, name)
    reverse = read_reverse(fields, card_type, checker, name)
    explanation, source, verified, tags = read_common(fields, name, checker)
    warn_missing(node, checker, name, derived=derived, explanation=explanation, source=source)
    if has_errors(checker, errors_before) or not question or answers is None:
        return []
    _advise(node, checker, name, question, answers, choices or [], explanation, tags + deck_tags)
    card: Card = construct(Card, {  # every field, in order, as Card(...) would set them
        "deck": deck_id,
        "id": name or "",
        "type": card_type,
        "question": question,
        "answers": tuple(answers),
        "choices": tuple(choices or ()),
        "accept": tuple(accept),
        "why": why,
        "explanation": explanation,
        "source": source,
        "verified": verified,
        "tags": tuple(dict.fromkeys(deck_tags + tags)),
        "line": node.start_mark.line + 1,
        "id_derived": derived,
        "note": name if reverse else "",
        "text": "",
    })
    if not reverse:
        return [card]
    # The reverse asks the answer and expects the question; the two are siblings.
    back = replace(
        card, id=f"{card.id}-reverse", question=card.answers[0], answers=(card.question,),
        accept=(),
    )
    return [card, back]


def _read_type(
    fields: dict[str, tuple[Any, Any]], checker: Checker, name: str | None
) -> CardType:
    if "type" not in fields:
        return CardType.BASIC
    raw_type = checker.text(fields["type"][1], "'type'", name)
    if raw_type is not None and raw_type not in _CARD_TYPES:
        close = difflib.get_close_matches(raw_type, _CARD_TYPES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        checker.error(
            fields["type"][1],
            f"type '{raw_type}' is not one of {', '.join(_CARD_TYPES)}{hint}",
            name,
        )
    elif raw_type is not None:
        return CardType(raw_type)
    return CardType.BASIC


def read_reverse(
    fields: dict[str, tuple[Any, Any]], card_type: CardType, checker: Checker, name: str | None
) -> bool:
    """`reverse: true` on a basic card: a second card, answer to question."""
    if "reverse" not in fields:
        return False
    key_node, node = fields["reverse"]
    value = (plain_text(node) or "").lower()
    if value not in _TRUE | _FALSE:
        checker.error(node, "'reverse' must be true or false", name)
        return False
    if value in _TRUE and card_type is not CardType.BASIC:
        checker.error(key_node, "'reverse' applies only to basic cards", name)
        return False
    return value in _TRUE


def read_choices(
    fields: dict[str, tuple[Any, Any]], card_type: CardType, checker: Checker, name: str | None
) -> list[str] | None:
    if card_type.typed:
        if "choices" in fields:
            checker.error(
                fields["choices"][0], "'choices' needs 'type: choice' or 'type: multi'", name
            )
        return None
    if "choices" not in fields:
        return None  # reported with the answer, which then has nothing to match
    node = fields["choices"][1]
    choices = checker.text_list(node, "'choices'", name)
    if choices is None:
        return None
    if len(choices) < 2:
        checker.error(node, f"a {card_type.value} card needs at least 2 choices", name)
    for index, message in choice_problems(choices, many=card_type is CardType.MULTI):
        checker.error(child(node, index), message, name)
    return choices



def read_answers(
    card_node: Any,
    fields: dict[str, tuple[Any, Any]],
    card_type: CardType,
    choices: list[str] | None,
    checker: Checker,
    name: str | None,
) -> list[str] | None:
    if card_type is not CardType.BASIC and "choices" not in fields:
        checker.error(card_node, f"a {card_type.value} card needs 'choices'", name)
    if "answer" not in fields or is_null(fields["answer"][1]):
        checker.error(card_node, "missing 'answer'", name)
        return None
    node = fields["answer"][1]
    if card_type is CardType.MULTI:
        answers = checker.text_list(node, "'answer'", name)
        if answers is None:
            return None
        if len(answers) < 2:
            checker.error(
                node,
                "a multi card needs a list of at least 2 right answers "
                "(use 'type: choice' for one)",
                name,
            )
        if len(set(answers)) != len(answers):
            checker.error(node, "an answer is listed twice", name)
    else:
        answer = checker.text(node, "'answer'", name)
        if answer is None:
            return None
        if not answer.strip():
            checker.error(node, "'answer' is empty", name)
        elif card_type is CardType.BASIC and is_command(answer):
            checker.error(node, f"answer '{answer}' would be read as the command "
                          f"'{answer.strip().lower()}' (q quits, f flags)", name)
        answers = [answer]
    if choices is not None:
        for index, answer in enumerate(answers):
            if answer not in choices:
                close = difflib.get_close_matches(answer, choices, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                target = child(node, index) if card_type is CardType.MULTI else node
                checker.error(target, f"answer '{answer}' is not one of its choices{hint}", name)
        if card_type is CardType.MULTI and choices and set(answers) >= set(choices):
            checker.error(node, "every choice is an answer; add a wrong choice", name)
    return answers


def read_why(
    fields: dict[str, tuple[Any, Any]],
    choices: list[str] | None,
    answers: list[str] | None,
    checker: Checker,
    name: str | None,
) -> dict[str, str]:
    if "why" not in fields:
        return {}
    node = fields["why"][1]
    if choices is None:
        checker.error(fields["why"][0], "'why' explains wrong choices; the card has none", name)
        return {}

    def problem(key: str) -> str | None:
        if key not in choices:
            return f"why '{key}': not one of the card's choices"
        if answers and key in answers:
            return f"why '{key}': that choice is a right answer"
        return None

    return read_notes(node, checker, name, problem)


def _advise(
    node: Any,
    checker: Checker,
    name: str | None,
    question: str,
    answers: list[str],
    choices: list[str],
    explanation: str,
    tags: list[str],
) -> None:
    """Warnings that keep a valid card fair and honest (see `decks.advice`)."""
    if choices and (long := long_answer(answers, choices)):
        checker.warn(node, long, name)
    if undated := undated_volatile(tags, [question, *answers, explanation]):
        checker.warn(node, undated, name)
