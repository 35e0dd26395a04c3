"""Yes/no questions that state a figure: "…目标是999亿元吗？" asks what the figure is.

The figure a user states is a claim to check, not a word of the measure: left in the question its
digits and unit match sentences that print similar figures (9亿, 亿元) and steer the answer to
another measure. `figure_check(question)` finds the stated figure and rewrites the question to the
figure question it checks ("…目标是多少亿元？"); the answer to that question gets a verdict in front
(`FigureCheck.verdict`): 是 when the answer's first line states the same value, 否 otherwise. The
stated figure itself is never repeated (numbers in the first line come only from quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.cite import Answer
from assistant.numbers import canon_number, fold

# the question asks for a yes or a no
_YES_NO = re.compile(r"是否|是不是|有没有|对不对|能否|(?:吗|嘛|(?<![什怎多那这])么)[?？。!！\s]*$")
# a stated figure: a number that is no year, no part of a Latin name (5G, PM2.5) and no ordinal
# (第3), with its magnitude word (万, 亿) — the unit after it stays, it is the asked unit
_FIGURE = re.compile(r"(?<![\d.A-Za-z第\-])(?!(?:19|20)\d{2}\s*[-—–~至到])(\d+(?:\.\d+)?)\s*([万亿千百]*)"
                     r"(?![\d.A-Za-z年])")
_ASKING = re.compile(r"是否|是不是|有没有|能否")
_TAIL = re.compile(r"(吗|嘛|(?<![什怎多那这])么|对不对)(?=[?？。!！\s]*$)")
_SCALE = {"": 1.0, "百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12, "千万": 1e7, "百万": 1e6}


@dataclass
class FigureCheck:
    question: str  # the figure question the yes/no question checks
    stated: list[float]  # the stated values, magnitude words applied

    def verdict(self, ans: Answer) -> Answer:
        """The answer with 是/否 in front of its first line (an abstention stays as it is)."""
        if ans.abstained or not ans.lines:
            return ans
        found = _values(ans.lines[0])
        same = any(abs(v - s) <= 1e-9 * max(1.0, abs(s)) for v in found for s in self.stated)
        ans.lines[0] = ("是。" if same else "否，文档所述为：") + ans.lines[0]
        return ans


def _values(text: str) -> list[float]:
    out = []
    for m in _FIGURE.finditer(fold(text)):
        scale = _SCALE.get(m.group(2), 1.0)
        out.append(float(canon_number(m.group(1))) * scale)
    return out


def figure_check(question: str) -> FigureCheck | None:
    """The figure question a yes/no question that states a figure checks, or None."""
    if not isinstance(question, str):
        return None
    text = fold(question)
    if not _YES_NO.search(text):
        return None
    stated = _values(text)
    if not stated:
        return None
    asked = _FIGURE.sub(lambda m: "多少" + m.group(2), text)
    asked = _TAIL.sub("", _ASKING.sub("", asked))
    return FigureCheck(question=asked, stated=stated)
