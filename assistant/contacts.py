"""Contact questions: a phone number or a web address asked for (热线电话是多少, 可拨打哪个电话,
通过哪个网站办理).  The answer is the number or the address a sentence states — several, when the
sentence lists them (2518363、2518690) — and a sentence stating none is a poor answer to one.
General to notices of any issuer: no number or site of a particular document is named here."""

from __future__ import annotations

import re

# a phone number: 5-8 digits, with an area code (0791-…) or an extension; not an amount, a count or
# a year (12000元, 20000人) and not part of a longer number
PHONE = re.compile(r"(?<![\d.,])(?:\d{3,4}[-－—])?\d{5,8}(?:[-－—]\d{1,8})?"
                   r"(?![\d.,]|\s*(?:万|亿|元|人|个|件|家|户|名|吨|次|辆|份|套|台|平方|公里|米|亩|%|％|年|月|日))")
WEB = re.compile(r"(?:https?://|www\.)[A-Za-z0-9./?=&%_:#~+\-]+")
_ASKS_PHONE = re.compile(r"电话(?!费)|热线|号码|专线")
_ASKS_WEB = re.compile(r"网站|网址|域名|网页|链接")
_ASKING = re.compile(r"多少|什么|哪个|哪些|哪里|如何|怎么|怎样")
# what may join the values of one list: 2518363、2518690 / 85222835，85222823 / 12345或12366
_JOIN = re.compile(r"\s*(?:、|，|,|或|和|及|/|；|;)\s*")


def contact_pattern(question_form: str) -> re.Pattern[str] | None:
    """The pattern of the contact the question asks for (phone or web address), else None."""
    if not _ASKING.search(question_form):
        return None
    if _ASKS_WEB.search(question_form):
        return WEB
    if _ASKS_PHONE.search(question_form):
        return PHONE
    return None


def contact_run(text: str, rx: re.Pattern[str]) -> tuple[int, int] | None:
    """Offsets in `text` of its first contact value and the values listed right after it."""
    m = rx.search(text)
    if m is None:
        return None
    start, end = m.span()
    while True:
        join = _JOIN.match(text, end)
        nxt = rx.match(text, join.end()) if join else None
        if nxt is None:
            return start, end
        end = nxt.end()
