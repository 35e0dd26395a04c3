"""Questions about a plan's outline: "保障措施的第一条是什么", "示范区第二个发展定位是什么".

The answer is the N-th sub-heading of the section the question names, read from the section tree
and quoted as printed.
"""

from __future__ import annotations

import re

from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus
from assistant.numbers import match_form
from assistant.query import Query
from ingest.model import Section

_ORDINAL = re.compile(r"第([一二三四五六七八九十两\d]+)(个|条|项|点|方面|部分|大|章|节)?")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_FILLER = re.compile(r"是什么|是哪个|是哪项|是哪一|是|什么|哪个|哪些|哪一|的|中|里|规划|方案|文件|内容|请问|[?？。，]")


def _number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s in _CN:
        return _CN[s]
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN.get(s[1], 0)
    return None


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def answer_outline(q: Query, corpus: Corpus) -> Answer | None:
    m = _ORDINAL.search(q.norm)
    if not m or re.search(r"\d{4}年", m.group(0)):
        return None
    n = _number(m.group(1))
    if not n:
        return None
    topic = _FILLER.sub("", q.norm.replace(m.group(0), ""))
    for sc in corpus.vocab.scopes:
        for k in sorted(sc.keywords, key=lambda k: (-len(k), k)):
            topic = topic.replace(k, "")
    tb = _bigrams(topic)
    if len(tb) < 1:
        return None
    best: tuple[float, Section, list[Section]] | None = None
    for doc_id in corpus.docs:
        if q.doc_ids and doc_id not in q.doc_ids:
            continue
        sections = corpus.sections(doc_id)
        for s in sections:
            title = match_form(s.title)
            sb = _bigrams(title)
            if not sb:
                continue
            cover = len(sb & tb) / len(sb)
            children = [c for c in sections if c.parent_id == s.id]
            if cover >= 0.6 and len(children) >= n and (best is None or cover > best[0]):
                best = (cover, s, children)
    if best is None:
        return None
    _, parent, children = best
    child = children[n - 1]
    heading = f"{child.marker}{child.title}".strip()
    text = corpus.texts.get(child.doc_id)
    quote = text.verbatim(heading) if text else None
    if quote is None:
        return None
    ev = Evidence(child.doc_id, corpus.title(child.doc_id), child.path, child.page, quote, None)
    listing = "；".join(f"{c.marker}{c.title}".strip() for c in children)
    return Answer([f"{parent.title.strip()}的第{m.group(1)}{m.group(2) or '项'}是：{heading.lstrip('—')}",
                   f"{parent.title.strip()}共{len(children)}项：{listing}"], [ev], confidence=0.85)
