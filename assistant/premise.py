"""Questions that state a premise before they ask: answer the ask.

"某市2018年有1220家高企，那某县2025年的高企目标是多少家？" asks about 某县 in 2025; the premise's
document, year and figure would otherwise steer the answer to 某市 2018. The ask is the last clause
holding a question word; what it leaves out and refers back to (它, 该园区, or no park at all) is
taken from the premise. An aside in brackets that states a figure for comparison
("（与某市2018年1220家对比）") is dropped the same way.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.query import Query, analyze
from assistant.vocab import Vocabulary

_ASKS = re.compile(r"多少|几|哪|什么|何|是否|吗|如何|怎样|怎么")
_CLAUSE = re.compile(r"[，,；;]")
_ASIDE = re.compile(r"[（(]([^（）()]*)[）)]")
_BACKREF = re.compile(r"这一|这个|这些|该|它|其|此")
_FRAMING = re.compile(r"(提到|提出|指出|显示|表明|称|中|里|来看|看)$")
_LEAD = re.compile(r"^(那么|那|而|则|请问|但|可是|那末)")


def _drop_asides(text: str) -> str:
    """Bracketed asides that compare with another figure and ask nothing."""
    return _ASIDE.sub(lambda m: "" if re.search(r"\d", m.group(1)) and not _ASKS.search(m.group(1))
                      and re.search(r"对比|相比|比较|参照|参考", m.group(1)) else m.group(0), text)


# what an ask says besides its measure: the document it points at, the figure it wants, asking words
_NO_MEASURE = re.compile(r"(19|20)\d{2}年?|[“”\"《》]|政府工作报告|工作报告|报告|规划|纲要|方案|文件|计划|里|中|给出|提出|写|"
                         r"的|是|为|数字|数据|数值|数|目标|多少|几|说法|统计|[条项个家人元%？?。！!]")


def _names_no_measure(ask: str, f: Query) -> bool:
    """The ask holds nothing but its document's name, a year and asking words."""
    s = ask
    for w in sorted(set(f.scope_words) | set(f.park_words), key=lambda w: (-len(w), w)):
        s = s.replace(w, "")
    return len(re.findall(r"[\u4e00-\u9fffA-Za-z]", _NO_MEASURE.sub("", s))) < 2


def focus(q: Query, vocab: Vocabulary) -> Query:
    """The question narrowed to its ask when it opens with a premise; `q` itself otherwise."""
    if q.problem or not q.raw:
        return q
    text = _drop_asides(q.raw.strip())
    parts = [p for p in _CLAUSE.split(text) if p.strip()]
    if len(parts) < 2 and text == q.raw.strip():
        return q
    asking = [i for i, p in enumerate(parts) if _ASKS.search(p)]
    if not asking:
        return q
    i = asking[-1]
    premise, ask = parts[:i], _LEAD.sub("", "".join(parts[i:]).strip())
    if any(_ASKS.search(p) for p in premise):
        return q  # two questions in one: leave it whole
    if not premise and text == q.raw.strip():
        return q
    f = analyze(ask, vocab)
    if f.problem or f.unknown_place:
        return q
    if premise:
        lead = "".join(premise)
        # a premise states something of its own (a figure, or another document's claim); a bare
        # qualifier ("按人民币计，", "到2025年，") or a framing ("某县规划提到，") belongs to the ask
        figure = re.search(r"\d", re.sub(r"(19|20)\d{2}年?", "", lead))
        lead_docs = analyze(lead, vocab).doc_ids
        other_doc = bool(f.doc_ids) and bool(lead_docs) and set(f.doc_ids) != set(lead_docs)
        if _FRAMING.search(lead) or not (figure or other_doc):
            return q
    if premise and not q.parks and _names_no_measure(ask, f):
        # "…对某指标说法不一，某报告给出的数字是多少": the ask names only a document (and year);
        # the measure is the premise's — keep the whole question, scoped to the ask's document
        src = f if f.doc_ids else q
        # the premise's document words stay scope words: they name documents, not a foreign place
        words = list(dict.fromkeys(src.scope_words + q.scope_words))
        return replace(q, doc_ids=src.doc_ids, scope_strict=src.scope_strict, scope_words=words,
                       years=f.years or q.years, time=q.time if f.time.empty else f.time)
    if _BACKREF.search(ask) and not q.parks:
        # "在某市方案里这一产业的总投资": the subject stays the premise's; document and year are the ask's
        src = f if f.doc_ids else q
        return replace(q, doc_ids=src.doc_ids, scope_strict=src.scope_strict, scope_words=src.scope_words,
                       years=f.years or q.years)
    if not f.parks and q.parks:  # 它 / 该园区 / no subject: the premise's park
        f.parks, f.park_words = list(q.parks), list(q.park_words)
        f.raw = "".join(q.park_words) + f.raw
    if not f.doc_ids:
        f.doc_ids, f.scope_strict, f.scope_words = list(q.doc_ids), q.scope_strict, list(q.scope_words)
    return f
