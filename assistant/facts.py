"""Facts first: a figure question answered from a prose fact record when one matches it well.

Ingest turns targets and figures stated in prose into `FactRecord`s (measure, value, unit, year,
kind, verbatim quote). For a question that asks for a figure, this module decides:

- `measure_similarity(content, measure, context)`: how well a fact names what the question asks —
  general string evidence only: the share of the measure's character bigrams the question holds,
  and the share of the question's content words (jieba) its *context* holds (the sentence up to the
  fact's value: "某产业总产值达到50亿元，占全部工业比重16%" — the measure alone, 占全部工业比重,
  is every industry's), smoothed by rapidfuzz's partial ratio; no list of paraphrases;
- `embedding_similarity`: the cosine of the question and the fact's embedded context (its
  sentence up to its value, shared by the facts whose values lie close together in it,
  index/factvectors.embedded_contexts) under the index's own embedder, rescaled
  (`EMBED_FLOOR`), multiplied in as one more piece of evidence;
- `answer_from_facts(q, corpus, index)`: the best fact by the same abstention score the text
  answers use (measure, time resolved for the fact's document, scope, answer type), or None when
  no fact clears `FACT_MIN_SCORE` — then the sentence answerer runs as before.

The answer's first line is the fact's own quote clause holding the value, so every figure in it
is in the cited quote.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from assistant.abstention import Features, score
from assistant.bounded import LRUCache
from assistant.cite import Answer, Evidence
from assistant.numbers import match_form
from assistant.query import Query
from assistant.timeframe import years_for
from index import factvectors

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


def measure_similarity(content: str, measure: str, tokenizer: Any, context: str | None = None,
                       words: list[str] | None = None) -> float:
    """0..1: the fact's measure covered by the question and the question's content words held by
    the fact's context (the smaller of the two); without a context, the words held by the measure
    smoothed by rapidfuzz's partial ratio. `words`: the content's jieba words, when already cut."""
    from rapidfuzz import fuzz

    m = match_form(measure)
    cb, mb = _bigrams(content), _bigrams(m)
    if not cb or not mb:
        return 0.0
    measure_held = len(mb & cb) / len(mb)
    if words is None:
        words = [w for w in tokenizer.cut(content) if len(w.strip()) >= 2]
    if context is not None:
        return _held(cb, mb, words, match_form(context))
    words_held = sum(w in m for w in words) / len(words) if words else 0.0
    ratio = fuzz.partial_ratio(re.sub(r"\s+", "", content), m) / 100.0
    return min(measure_held, max(words_held, ratio))


def _held(cb: set[str], mb: set[str], words: list[str], ctx_form: str) -> float:
    """The smaller of: the measure's bigrams held by the question, the question's words held by
    the fact's context (matching form)."""
    return min(len(mb & cb) / len(mb), sum(w in ctx_form for w in words) / len(words) if words else 0.0)


def fact_context(corpus: Any, fact: Any) -> str:
    """The fact's sentence from its start up to the end of the fact's span (index/factvectors.py:
    ingest embeds the same contexts)."""
    doc = getattr(corpus, "texts", {}).get(fact.doc_id)
    return factvectors.fact_context(getattr(doc, "text", "") or "", fact.start, fact.end, fact.quote)


def _embedded(corpus: Any) -> list[str]:
    """Per fact of the corpus, the context whose embedding stands for it (shared by the facts of
    one sentence, index/factvectors.embedded_contexts: what ingest embedded and stored)."""
    by_doc: dict[str, list[int]] = {}
    for i, f in enumerate(corpus.facts):
        by_doc.setdefault(f.doc_id, []).append(i)
    out = [""] * len(corpus.facts)
    for doc_id, idx in by_doc.items():
        doc = getattr(corpus, "texts", {}).get(doc_id)
        text = getattr(doc, "text", "") or ""
        for i, c in zip(idx, factvectors.embedded_contexts(text, [corpus.facts[i] for i in idx]), strict=True):
            out[i] = c
    return out


def _prepared(corpus: Any) -> list[tuple[Any, str, str, set[str], str]]:
    """(fact, context, context's matching form, measure bigrams, embedded context) for every fact,
    computed once per corpus and kept on it (the matching is then set arithmetic per question)."""
    got = getattr(corpus, "_fact_prepared", None)
    if got is None or len(got) != len(corpus.facts):
        got = []
        by_bigram: dict[str, list[int]] = {}
        embedded = _embedded(corpus)
        for i, f in enumerate(corpus.facts):
            ctx = fact_context(corpus, f)
            mb = _bigrams(match_form(f.measure))
            got.append((f, ctx, match_form(ctx), mb, embedded[i]))
            for b in mb:
                by_bigram.setdefault(b, []).append(i)
        corpus._fact_by_bigram = by_bigram
        corpus._fact_prepared = got
    return got


def _sharing(corpus: Any, cb: set[str]) -> list[tuple[Any, str, str, set[str], str]]:
    """The prepared facts (in corpus order) whose measure has at least MEASURE_MIN of its bigrams
    in `cb`: the others fail answer_from_facts' first check, so at 100× the corpus a question no
    longer walks every fact (~18 ms) but the bigram lists of its own few dozen bigrams."""
    prepared = _prepared(corpus)
    held: Counter[int] = Counter()
    for b in cb:
        held.update(corpus._fact_by_bigram.get(b, ()))
    return [prepared[i] for i in sorted(i for i, n in held.items() if n >= MEASURE_MIN * len(prepared[i][3]))]


# cosine similarities of the index's embedder below this mean "unrelated" (e5 cosines rarely fall
# under ~0.7 for any two Chinese sentences); rescaled to 0..1 above it
EMBED_FLOOR = 0.75


class FactVectors:
    """fact context → embedding for `embedding_similarity`: recently used ones in a bounded cache,
    else the ones ingest stored in the index (index/factvectors.py), else None — then it is embedded
    at query time (an index built before the vectors were stored) and kept in the cache."""

    def __init__(self, records: Any, size: int):
        self._records = records
        self._recent: LRUCache = LRUCache(size)

    def get(self, context: str) -> Any:
        v = self._recent.get(context)
        if v is None:
            v = factvectors.stored_vector(self._records, context)
            if v is not None:
                self._recent[context] = v
        return v

    def __setitem__(self, context: str, vector: Any) -> None:
        self._recent[context] = vector


def embedding_similarity(query_vector: Any, embedder: Any, contexts: list[str], cache: Any) -> list[float]:
    """Rescaled cosines of the question's vector and each fact context; passage embeddings are
    kept in `cache` (a dict or a bounded assistant.bounded.LRUCache: only `get` and `[k] = v`
    are used). `query_vector()` is the question's vector — the index's own, shared with its
    search, so a question is embedded once."""
    import numpy as np

    vecs = {c: cache.get(c) for c in dict.fromkeys(contexts)}
    todo = [c for c, v in vecs.items() if v is None]
    if todo:
        for c, v in zip(todo, embedder.embed_passages(todo), strict=True):
            cache[c] = vecs[c] = v
    qv = query_vector()
    return [max(0.0, (float(np.dot(qv, vecs[c])) - EMBED_FLOOR) / (1 - EMBED_FLOOR)) for c in contexts]


def _scope(q: Query, context: str, section: str) -> float:
    """1, or the text answers' floor when the question names a park the fact's sentence and section
    do not (the same rule as assistant/candidates.candidate_features)."""
    aliases = [a for g in q.parks for a in g.aliases]
    where = match_form(context) + match_form(section or "")
    return 1.0 if not aliases or any(a in where for a in aliases) else SCOPE_OTHER_PARK


SCOPE_OTHER_PARK = 0.2


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


def answer_from_facts(q: Query, corpus: Any, index: Any = None, cache: Any = None) -> Answer | None:
    """The best-matching prose fact as the answer, or None. `index` gives the embedder and the
    question's vector (`Index.query_vector`); without one, facts are matched by words only."""
    facts = getattr(corpus, "facts", None)
    if not q.wants_number or not facts:
        return None
    places = q.scope_words + q.park_words
    content = question_content(q, places)
    if len(_bigrams(content)) < 2:
        return None
    words = [w for w in q.tokenizer.cut(content) if len(w.strip()) >= 2]
    cb = _bigrams(content)
    # the lexical score bounds the final one (the embedding factor is ≤ 1): facts that cannot clear
    # FACT_MIN_SCORE are dropped before the question is embedded
    cands: list[tuple[Any, str, Features]] = []
    for f, ctx, ctx_form, mb, embedded in _sharing(corpus, cb):
        if (q.doc_ids and f.doc_id not in q.doc_ids) or not mb or len(mb & cb) < MEASURE_MIN * len(mb):
            continue
        m = _held(cb, mb, words, ctx_form)
        if m < MEASURE_MIN:
            continue
        feats = Features(measure=m, time=_time(q, f, corpus.profiles.get(f.doc_id)),
                         scope=_scope(q, ctx, f.section), answer_type=1.0, retrieval=1.0)
        if score(feats) >= FACT_MIN_SCORE:
            cands.append((f, embedded, feats))
    if not cands:
        return None
    embedder = getattr(index, "embedder", None)
    if embedder is not None and hasattr(index, "query_vector"):
        sims = embedding_similarity(lambda: index.query_vector(q.raw), embedder, [c for _, c, _ in cands],
                                    cache if cache is not None else {})
    else:
        sims = [1.0] * len(cands)
    best: tuple[float, Any] | None = None
    for (f, _, feats), e in zip(cands, sims, strict=True):
        feats.measure *= e
        s = score(feats)
        if best is None or s > best[0]:
            best = (s, f)
    if best is None or best[0] < FACT_MIN_SCORE:
        return None
    s, f = best
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
