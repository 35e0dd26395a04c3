"""Document scopes: the words through which a question names a document (某县, 示范区, 十四五…).

Learned per document from its title: the title's substrings that the document's own text repeats
and the other documents rarely use, the place its title starts with, and its profile's place.
Separate from the park vocabulary because a document is named by its title and place, a park by
its printed names; the two are matched against a question independently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.numbers import match_form

GENERIC_TITLE_WORDS = {"产业", "工业", "经济", "科技", "发展", "规划", "方案", "建设", "实施", "市", "的", "和",
                       "关于", "印发", "通知", "人民政府", "办公室", "文件", "行动", "计划", "工作", "报告"}


# the administrative kind after a place name (某省, 某综合实验区)
_PLACE_KIND = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|综合实验区|实验区|新区|省|市|县|区)$")


@dataclass
class DocScope:
    doc_id: str
    title: str
    keywords: set[str] = field(default_factory=set)


def _substrings(s: str, lo: int = 2, hi: int = 4) -> set[str]:
    return {s[i:i + n] for n in range(lo, hi + 1) for i in range(len(s) - n + 1)}


def _cjk_runs(s: str) -> list[str]:
    return re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", s)


def _rarely_elsewhere(w: str, doc_id: str, tforms: dict[str, str], at_most: float) -> bool:
    """Whether the other documents' texts hold `w` at most `at_most` times (counting stops as soon
    as they exceed it: with thousands of documents a full count per title word took minutes)."""
    theirs = 0
    for o, t in tforms.items():
        if o != doc_id:
            theirs += t.count(w)
            if theirs > at_most:
                return False
    return True


def learn_scopes(documents: list[dict[str, Any]], texts: dict[str, str]) -> list[DocScope]:
    """Each document's scope words (see the module docstring)."""
    forms = {d["doc_id"]: match_form(d.get("title") or "") for d in documents}
    tforms = {d: match_form(t) for d, t in texts.items()}
    scopes = []
    for d in documents:
        did = d["doc_id"]
        own: set[str] = set()
        for run in _cjk_runs(forms[did]):
            own |= _substrings(run)
        others = [f for o, f in forms.items() if o != did]
        kws = set()
        for w in own:
            if w in GENERIC_TITLE_WORDS or any(w in f for f in others) or not re.search(r"[\u4e00-\u9fff]", w):
                continue
            mine = tforms.get(did, "").count(w)
            if mine >= 2 and _rarely_elsewhere(w, did, tforms, mine / 3):
                kws.add(w)
        # the place a plan is about is named in its title: 某县市…, 某市…
        m = re.match(r"^([\u4e00-\u9fff]{2,3}?)(市|县|区|省)", forms[did])
        if m:
            kws.add(m.group(1))
        place = match_form(d.get("place") or "")
        if len(place) >= 2:
            kws.add(place)  # the profile's place: 某省 → 某省 and 某
            bare = _PLACE_KIND.sub("", place)
            if len(bare) >= 2:
                kws.add(bare)
        scopes.append(DocScope(did, d.get("title") or did, kws))
    return scopes
