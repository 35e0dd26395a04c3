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
_CONTACT = r"电话(?!费)|热线|号码|专线|网站|网址|域名|网页|链接"
# the contact noun asked for: a wh word right before it (拨打哪个电话, 如何进行电话咨询) or 是多少/是什么
# right after it (热线是多少, 域名是什么); 哪些措施保障热线 asks for measures, not the number
_ASKS = re.compile(rf"(?:什么|哪个|哪一个|哪些|如何|怎么|怎样)[^，,。？?]{{0,3}}?(?P<before>{_CONTACT})|"
                   rf"(?P<after>{_CONTACT})(?:号码)?(?:是|为)?(?:多少|什么)")
_WEB_NOUN = re.compile(r"网站|网址|域名|网页|链接")
# what may join the values of one list: 2518363、2518690 / 85222835，85222823 / 12345或12366
_JOIN = re.compile(r"\s*(?:、|，|,|或|和|及|/|；|;)\s*")


def contact_pattern(question_form: str) -> re.Pattern[str] | None:
    """The pattern of the contact the question asks for (phone or web address), else None."""
    m = _ASKS.search(question_form)
    if m is None:
        return None
    return WEB if _WEB_NOUN.fullmatch(m.group("before") or m.group("after")) else PHONE


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
