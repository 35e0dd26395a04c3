"""An answer's text cut into lines: the scorer and the chat read the first line as the direct answer,
so it holds at most MAX_FIRST_LINE characters, and no line ends inside a number or an address."""

from __future__ import annotations

import re

MAX_FIRST_LINE = 200  # the scorer reads the first line as the direct answer: at most this long


def answer_lines(text: str) -> list[str]:
    """The span as answer lines: each ≤ MAX_FIRST_LINE characters, cut after a sentence end, else
    after a clause end, else hard — but never inside a number, a code or a web address (a line
    ending in 88011 of 88011784 would state a number the document does not)."""
    lines = []
    rest = text
    while len(rest) > MAX_FIRST_LINE:
        head = rest[:MAX_FIRST_LINE]
        cut = max(head.rfind(c) for c in "。；！？;!?")
        if cut < MAX_FIRST_LINE // 4:
            cut = max(head.rfind(c) for c in "，,：:、")
        cut = cut + 1 if cut >= MAX_FIRST_LINE // 4 else _hard_cut(rest, MAX_FIRST_LINE)
        lines.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        lines.append(rest)
    return lines


_TOKEN_CHAR = re.compile(r"[0-9A-Za-z.\-/:_%]")


def _hard_cut(text: str, at: int) -> int:
    """`at`, moved back to the start of the number or Latin token it would split."""
    cut = at
    while cut > 0 and _TOKEN_CHAR.match(text[cut - 1]) and _TOKEN_CHAR.match(text[cut]):
        cut -= 1
    return cut if cut > 0 else at
