"""Facts first: a figure question answered from a prose fact record when one matches it well.

Ingest turns targets and figures stated in prose into `FactRecord`s (measure, value, unit, year,
kind, verbatim quote). For a question that asks for a figure, this module decides:

- `measure_similarity(content, measure)`: how well a fact's measure names what the question asks
  — general string evidence only: the share of the measure's character bigrams the question holds,
  the share of the question's content words (jieba) the measure holds, and rapidfuzz's partial
  ratio; no list of paraphrases;
- `answer_from_facts(q, corpus)`: the best fact by the same abstention score the text answers use
  (measure, time resolved for the fact's document, scope, answer type), or None when no fact
  clears `FACT_MIN_SCORE` — then the sentence answerer runs as before.

The answer's first line is the fact's own quote clause holding the value, so every figure in it
is in the cited quote.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.abstention import Features, score
from assistant.cite import Answer, Evidence
from assistant.numbers import match_form
from assistant.query import Query
from assistant.timeframe import years_for

# a fact answers first only when its score clears this (stricter than ABSTAIN_BELOW: a wrong
# fact must not pre-empt a sentence answer that the text path would have found)
FACT_MIN_SCORE = 0.6
# a fact's measure must name this share of the question's content
MEASURE_MIN = 0.6
_QUESTION_WORDS = re.compile(
    r"(19|20)\d{2}年?|到|至|截至|多少|几|是|为|的|了|吗|呢|？|\?|目标|预期|预计|计划|要|将|达到|达|实现|力争|"
    r"今年|明年|去年|十[一二三四五]五|期间|期末|末|底|请问|根据|按|报告|规划|纲要|政府工作|提出|"
    r"[“”\"《》（）()，,、]")


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9%]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def question_content(q: Query, place_words: list[str]) -> str:
    """The words of the question that should name the measure (places, time, asking removed)."""
    s = q.norm
    for w in sorted(set(place_words), key=lambda w: (-len(w), w)):
        s = s.replace(w, " ")
    return _QUESTION_WORDS.sub(" ", s)


def measure_similarity(content: str, measure: str, tokenizer: Any) -> float:
    """0..1: the fact's measure covered by the question and the question's content words held by
    the measure (the smaller of the two, smoothed by rapidfuzz's partial ratio)."""
    from rapidfuzz import fuzz

    m = match_form(measure)
    cb, mb = _bigrams(content), _bigrams(m)
    if not cb or not mb:
        return 0.0
    measure_held = len(mb & cb) / len(mb)
    words = [w for w in tokenizer.cut(content) if len(w.strip()) >= 2]
    words_held = sum(w in m for w in words) / len(words) if words else 0.0
    ratio = fuzz.partial_ratio(re.sub(r"\s+", "", content), m) / 100.0
    return min(measure_held, max(words_held, ratio))


def _time(q: Query, fact: Any, profile: Any) -> float:
    years = years_for(q.time, profile) if not q.time.empty else set()
    if not years:
        return 1.0
    if not fact.year:
        return 0.3
    fy = {int(y) for y in re.findall(r"(?:19|20)\d{2}", fact.year)}
    if fy & years:
        return 1.0
    return 0.0


def answer_from_facts(q: Query, corpus: Any) -> Answer | None:
    """The best-matching prose fact as the answer, or None."""
    facts = getattr(corpus, "facts", None)
    if not q.wants_number or not facts:
        return None
    places = q.scope_words + q.park_words
    content = question_content(q, places)
    if len(_bigrams(content)) < 2:
        return None
    best: tuple[float, Any, Features] | None = None
    for f in facts:
        if q.doc_ids and f.doc_id not in q.doc_ids:
            continue
        m = measure_similarity(content, f.measure, q.tokenizer)
        if m < MEASURE_MIN:
            continue
        feats = Features(measure=m, time=_time(q, f, corpus.profiles.get(f.doc_id)), scope=1.0,
                         answer_type=1.0, retrieval=1.0)
        s = score(feats)
        if best is None or s > best[0]:
            best = (s, f, feats)
    if best is None or best[0] < FACT_MIN_SCORE:
        return None
    s, f, _ = best
    ev = _evidence(corpus, f)
    if ev is None:
        return None
    clause = _clause_with_value(f.quote, f.value)
    quote = re.sub(r"\s+", "", f.quote)
    lines = [clause + "[1]"] + ([f"原文：{quote}[1]"] if quote != clause else [])
    return Answer(lines, [ev], mode="extractive", confidence=min(1.0, s), abstention_score=s)


def _clause_with_value(quote: str, value: str) -> str:
    """The clause of the fact's quote that holds its value (verbatim, whitespace removed)."""
    q = re.sub(r"\s+", "", quote)
    for c in re.split(r"(?<=[，,；;。])", q):
        if value and value in c:
            return c.rstrip("，,；;。")
    return q


def _evidence(corpus: Any, fact: Any) -> Evidence | None:
    chunk = corpus.fact_chunk(fact)
    if chunk is not None:
        ev = corpus.chunk_evidence(chunk, fact.quote)
        if ev is not None:
            return ev
    return None
