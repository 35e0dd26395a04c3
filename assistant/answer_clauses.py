"""The first line of an extractive answer: the clause of the chosen sentence that answers.

The quote stays the whole sentence as printed; the answer line is cut from it — the clause(s)
with the figure and the most question terms for a long sentence (`key_clause`), the figure clause
that holds the question's predicate and asked unit (`figure_clause`), or, for an open question,
the sentence with the ；-items of the enumeration it opens (`with_enumeration`).
"""

from __future__ import annotations

import math
import re

from assistant.paraphrase import asked_type, has_type
from assistant.query import Query
from assistant.question_terms import key_words, word_in
from assistant.rowtext import squash
from assistant.sentence_terms import HAS_FIGURE, HEADING, Scored, SentenceScorer, bigrams

_CLAUSE = re.compile(r"(?<=[，,：:])")


def key_clause(sentence: str, q: Query, scorer: SentenceScorer, limit: int = 200) -> str:
    """The part of a long sentence that answers: the clause(s) with the figure and the most terms."""
    s = re.sub(r"\s+", "", sentence)
    if len(s) <= limit:
        return s
    clauses = [c for c in _CLAUSE.split(s) if c]
    terms = scorer.terms(q)

    total = sum(terms.values()) or 1.0
    kind = asked_type(q.norm)

    def cscore(c: str) -> float:
        v = sum(w for b, w in terms.items() if b in bigrams(c)) / total
        if q.wants_number and HAS_FIGURE.search(re.sub(r"(19|20)\d{2}年", "", c)):
            v += 0.5
        if any(str(y) in c for y in q.years):
            v += 0.2
        if kind is not None and has_type(c, kind):
            v += 0.5
        return v

    best = max(range(len(clauses)), key=lambda i: cscore(clauses[i]))
    lo, hi = best, best + 1
    # widen with neighbours while it fits: the subject often sits in the clause before
    while True:
        grown = False
        if lo > 0 and len("".join(clauses[lo - 1:hi])) <= limit:
            lo -= 1
            grown = True
        if hi < len(clauses) and len("".join(clauses[lo:hi + 1])) <= limit:
            hi += 1
            grown = True
        if not grown:
            break
    out = "".join(clauses[lo:hi])
    return out if len(out) <= limit else clauses[best][:limit]


# the question's predicate right before what it asks: 核减了多少, 提高了多少, 高出多少个百分点
_PREDICATE = re.compile(r"([\u4e00-\u9fff]{2})(?:了|要|将|能|可)?(?:多少|几)")
_NOT_PREDICATE = re.compile(r"[有是为到达在的共现约要将]")  # 有多少 / 达到多少: no predicate of its own
_FIG_CLAUSES = re.compile(r"[，,；;。：:、]")
_ASKED_UNIT = re.compile(r"(?:多少|几)(个百分点|[个万亿千百]?[\u4e00-\u9fff%]{1,3}?)(?:[？?，,。的]|$)")


def figure_clause(sentence: str, q: Query, scorer: SentenceScorer, current: str) -> str:
    """Among the clauses of the sentence that hold a figure, the one that answers: it holds the
    question's predicate (核减, 提高, 高出≈高于) and its rarest words, and the asked unit (个百分点)
    after its figure. `current` (the measure-bound clause) is kept unless another clause is better."""
    s = squash(sentence)
    clauses = [c for c in _FIG_CLAUSES.split(s) if c and HAS_FIGURE.search(re.sub(r"(19|20)\d{2}年", "", c))]
    if len(clauses) < 2:
        return current
    words = [w for ws in key_words(q, scorer)[:1] for w in ws]
    weights = {w: math.log((scorer.n + 1) / (scorer.word_df(w) + 0.5)) for w in words}
    pred = next((m.group(1) for m in _PREDICATE.finditer(q.norm) if not _NOT_PREDICATE.search(m.group(1))), None)
    unit = _ASKED_UNIT.search(q.norm)

    def value(c: str) -> float:
        v = sum(wt for w, wt in weights.items() if word_in(w, c))
        if pred and (pred in c or re.search(re.escape(pred[0]) + r"[\u4e00-\u9fff]{0,3}[\d一二三四五六七八九十两]", c)):
            v += max(weights.values(), default=1.0) + 1.0
        if unit and re.search(r"\d\s*" + re.escape(unit.group(1)), c):
            v += 1.0
        return v

    def states_predicate(c: str) -> bool:
        return bool(pred) and (pred in c or bool(re.search(re.escape(pred[0]) + r"[\u4e00-\u9fff]{0,3}[\d一二三四五六七八九十两]", c)))

    if pred is None:
        return _distinct_clause(q, current)
    if states_predicate(current):
        return current  # the bound clause already says what is asked
    best = max(clauses, key=value)
    return best if states_predicate(best) and len(best) >= 4 else current


def _distinct_clause(q: Query, current: str) -> str:
    """A line of several figure clauses (限额430.98亿元，余额374.34亿元) answers with the one clause
    holding question words that no other figure clause of the line holds, when the others hold none
    the question has that it lacks; otherwise the line stays whole (the asker sees every figure)."""
    inside = [c for c in _FIGURE_CLAUSE_SPLIT.split(current)
              if c and HAS_FIGURE.search(re.sub(r"(19|20)\d{2}年", "", c))]
    if len(inside) < 2 or "分别" in current:
        return current
    # the question's own words, without the place or document it names (青禾区政府 is no 区政)
    norm = q.norm
    for w in q.scope_words:
        norm = norm.replace(w, " ")
    asked = {b for b in bigrams(norm) if not _ASK_BIGRAM.search(b)}
    held = [asked & set(bigrams(c)) for c in inside]
    own = [h - set().union(*(o for j, o in enumerate(held) if j != i)) for i, h in enumerate(held)]
    distinct = [i for i, o in enumerate(own) if o]
    if len(distinct) != 1 or len(inside[distinct[0]]) < 4:
        return current
    return inside[distinct[0]]


# clause marks — but not the comma of a thousands separator (1,181兆瓦)
_FIGURE_CLAUSE_SPLIT = re.compile(r"[，；;。：:、]|,(?!\d{3})")
# bigrams of asking words and particles say nothing of which clause is meant
_ASK_BIGRAM = re.compile(r"多少|是多|什么|哪些|[的了是有在为？?，,。\s]")


_OPENS_LIST = re.compile(r"分别是|分别为|包括|即|主要有|[：:]")


def with_enumeration(best: Scored, scorer: SentenceScorer, limit: int = 200) -> Scored:
    """A sentence that opens an enumeration ("分别是：以……为主导的智能科技产业；") continues with
    the following ；-items of its paragraph; they answer together."""
    s = best.sentence.rstrip()
    if not re.search(r"[；;]$", s) or not _OPENS_LIST.search(s):
        return best
    sents = [x for x, _, _ in scorer.sentences(best.chunk)]
    try:
        i = sents.index(best.sentence)
    except ValueError:
        return best
    joined = best.sentence
    for nxt in sents[i + 1:]:
        if len(squash(joined + nxt)) > limit or HEADING.match(nxt):
            break
        joined += nxt
        if not re.search(r"[；;]$", nxt.rstrip()):
            break
    return Scored(best.score, best.coverage, joined, best.chunk, best.rank, best.time)
