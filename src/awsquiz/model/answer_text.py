"""How a typed answer is read, per the input protocol: the one definition that grading
follows and that `check` holds every deck to, so that every choice can be typed."""

from __future__ import annotations

import unicodedata

# Lines that are commands at a session's prompt, never answers (q quits, f flags in an exam).
COMMANDS = ("q", "f")


def normalize(text: str) -> str:
    """Compare typed answers ignoring case, spacing, punctuation and accents."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(filter(str.isalnum, folded))  # in C: every deck's choices pass here


def is_number(token: str) -> bool:
    """A choice number as typed: a few ASCII digits (int() of a long one is refused)."""
    return token.isascii() and token.isdigit() and len(token) <= 6


def is_command(text: str) -> bool:
    return text.strip().lower() in COMMANDS


def choice_problems(choices: list[str], *, many: bool) -> list[tuple[int, str]]:
    """Why some choices could not be picked by typing their text, as (index, message):
    two that read the same once case, spaces and punctuation are ignored, a text that is a
    choice number or a command, one with nothing to type, a comma at a multi prompt (commas
    separate answers there)."""
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, choice in enumerate(choices):
        key = normalize(choice)
        if not key:
            problems.append((index, f"choice '{choice}' has no letters or digits to type"))
        elif key in seen:
            other = choices[seen[key]]
            if other.strip().casefold() == choice.strip().casefold():
                problems.append((index, f"choice '{choice}' is listed twice"))
            else:
                problems.append((
                    index,
                    f"choice '{choice}' reads the same as '{other}' once case, spaces and "
                    "punctuation are ignored, so typing it cannot tell them apart",
                ))
        else:
            seen[key] = index
        if is_number(choice.strip()):
            problems.append((
                index, f"choice '{choice}' would be read as choice number {choice.strip()}",
            ))
        elif is_command(choice):
            problems.append((
                index, f"choice '{choice}' would be read as the command "
                f"'{choice.strip().lower()}' (q quits, f flags)",
            ))
        if many and "," in choice:
            problems.append((
                index, f"choice '{choice}' has a comma, which separates answers at a "
                "multi prompt",
            ))
    return problems
