"""Answers to policy questions: the verbatim span of a policy document that answers the question.

A policy question (条件/措施/要求/范围/办法/如何/哪些/多少/什么时候/谁 …) is answered by a clause,
a sentence or a contiguous enumerated block of one document.  The span is chosen in three steps:

1. candidate documents: the documents of the retrieved hits, each with a prior from its best
   hit's rank (retrieval already ranks documents well; the span scorer decides among the top few);
2. the answering sentence (`assistant.sentence_score`): every sentence of those documents is scored
   by how much of the question's content it covers, plus the document's prior and coverage; within
   the best document, the words beside the question's wh word (its focus) choose the sentence;
3. the span around it (`assistant.spans` segments, `assistant.asked` finds the gap): the enumerated block when the question asks for a
   list or measures and the sentence heads or belongs to one, the clause holding the answer when
   it asks for a short fact (a count, an amount, a date, a name), otherwise the sentence.

The answer body is the span itself (the first line its first ≤ 200 characters, the rest on later
lines), so nothing but document text is scored against a gold span; the citation quotes the span.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.answer_lines import answer_lines
from assistant.asked import (
    GAP_KINDS,
    QuestionTerms,
    answer_gap,
    answer_start,
    asked_kind,
    asked_titles,
    asks_enumeration,
    asks_policy_noun,
    question_terms,
    typed_clause,
)
from assistant.cite import Answer, Evidence
from assistant.contacts import contact_pattern, contact_run
from assistant.definitions import defined_term, definition
from assistant.docsentences import DocSentences, doc_sentences
from assistant.numbers import match_form
from assistant.query import asks_short_fact, is_policy_question
from assistant.sentence_score import FOCUS_WEIGHT, coverage, focus_bigrams, sentence_scores
from assistant.spans import block_end, clauses, is_heading, paragraph_end

__all__ = ["answer_policy", "best_span", "wants_policy_span", "question_terms", "asked_kind",
           "DocSentences", "doc_sentences"]


# -- choosing among documents ---------------------------------------------------------------------
MAX_DOCS = 8  # documents of the top hits considered (with DOC_COVERAGE: 3 → 0.4811, 8 → 0.4843, 12 the same)
DOC_PRIOR = 0.3  # weight of a document's retrieval rank (1/(1+rank) of its best hit) in a span's score
# A document holding the question's words that the other hit documents lack (its place, its issuer,
# its subject) is the one asked about: DOC_COVERAGE × the share of the question's words it holds, each
# word weighted by how few of the hit documents hold it.  It only chooses among documents: the
# span's own score (MIN_SPAN_SCORE) leaves it out.  ncpqa-dev dev split, policy spans on cached
# hits: 0 → 0.4715, 0.3 → 0.4837, 0.4 → 0.4843, 0.7 → 0.4764, 1.0 → 0.4673.
DOC_COVERAGE = 0.4
# A sentence lacking what the question asks for — a phone number or web address (contacts.py), the
# definition of the asked term (definitions.py) — answers it this much less (ncpqa-dev dev split,
# policy spans on cached hits, contacts: 1 → 0.4945, 0.7 → 0.5000, 0.5 → 0.5045, 0.3 → 0.5037;
# with definitions at 0.5: 0.5106 → 0.5168).
ASKED_MISSING = 0.5
# A list or measures question answered by a sentence gets the rest of its paragraph, up to this many
# sentences in all (ncpqa-dev dev split: 1 → 0.439, 2 → 0.441, 3 → 0.442, 4 → 0.441).
PARAGRAPH_SENTENCES = 3


@dataclass
class Span:
    doc: DocSentences
    first: int  # units[first:last] hold the span
    last: int
    start: int  # offsets into doc.text of the answering part
    end: int
    score: float
    kind: str
    shape: str = "sentence"  # gap | typed | block | paragraph | sentence: how the span was cut


def hit_docs(hits: list[Any]) -> list[str]:
    """The distinct documents of the hits, in hit order."""
    return list(dict.fromkeys(getattr(h, "chunk", h).doc_id for h in hits))


def candidate_docs(hits: list[Any]) -> list[tuple[str, float]]:
    """(doc_id, prior) of the documents of the hits, best first; prior = 1/(1+rank of best hit)."""
    prior: dict[str, float] = {}
    for rank, h in enumerate(hits):
        chunk = getattr(h, "chunk", h)
        prior.setdefault(chunk.doc_id, 1.0 / (1 + rank))
    return sorted(prior.items(), key=lambda kv: -kv[1])[:MAX_DOCS]


def doc_coverage(words: list[str], docs: list[DocSentences]) -> list[float]:
    """Per document: the share of the question's words (≥ 2 characters) it holds, each weighted by
    log((n + 1) / (df + 0.5)) over the n documents — a word every document holds weighs least."""
    held = [[w in d.form for d in docs] for w in words if len(w) >= 2]
    n = len(docs)
    weights = [math.log((n + 1) / (sum(h) + 0.5)) if any(h) else 0.0 for h in held]
    total = sum(weights) or 1.0
    return [sum(wt for wt, h in zip(weights, held, strict=True) if h[k]) / total for k in range(n)]


def best_span(question: str, hits: list[Any], index: Any) -> Span | None:
    """The span that best answers `question` among the documents of `hits`: the document of the
    best-scoring sentence, and within it the sentence scoring best with its wh word's focus."""
    q = question_terms(question)
    if not q.words and not q.bigrams:
        return None
    docs = {d: doc_sentences(index, d) for d in hit_docs(hits)}
    cover = dict(zip(docs, doc_coverage(q.words, list(docs.values())), strict=True))
    best: tuple[float, float, DocSentences, np.ndarray] | None = None
    contact, term = contact_pattern(q.form), defined_term(q.form)
    for doc_id, prior in candidate_docs(hits):
        doc = docs[doc_id]
        if not doc.units:
            continue
        scores = _asked_scores(doc, q, contact, term)
        score = float(scores.max()) + DOC_PRIOR * prior
        total = score + DOC_COVERAGE * cover[doc_id]
        if best is None or total > best[0]:
            best = (total, score, doc, scores)
    if best is None:
        return None
    _, score, doc, scores = best
    focus = focus_bigrams(q.form)
    if focus:
        scores = scores + FOCUS_WEIGHT * coverage(doc, focus)[0]
    return shape_span(doc, int(np.argmax(scores)), q, score)


def _asked_scores(doc: DocSentences, q: QuestionTerms, contact: re.Pattern[str] | None,
                  term: str | None) -> np.ndarray:
    """`sentence_scores`, ASKED_MISSING times less for a sentence lacking the asked contact (the
    question's `contact_pattern`) or the definition of the asked `term` (its `defined_term`)."""
    scores = np.array(sentence_scores(doc, q))
    for i, u in enumerate(doc.units):
        if contact is not None and not contact.search(u.text):
            scores[i] *= ASKED_MISSING
        elif term is not None and definition(u.text, term) is None:
            scores[i] *= ASKED_MISSING
    return scores


def shape_span(doc: DocSentences, i: int, q: QuestionTerms, score: float) -> Span:
    """Cut or extend the best sentence to the span the question asks for."""
    kind = asked_kind(q.form)
    if doc.units[i].text.endswith(("？", "?")) and i + 1 < len(doc.units):
        i += 1  # the document asks the question itself (问：…？ 答：…): the answer follows
    u = doc.units[i]
    contact = contact_pattern(q.form)
    cut = contact_run(u.text, contact) if contact is not None else None
    if cut is not None:  # a phone number or a web address asked: the values the sentence lists
        return Span(doc, i, i + 1, u.start + cut[0], u.start + cut[1], score, kind, "typed")
    term = defined_term(q.form)
    cut = definition(u.text, term) if term is not None else None
    if cut is not None:  # what a shorthand term means: the enumeration or clause defining it
        return Span(doc, i, i + 1, u.start + cut[0], u.start + cut[1], score, kind, "gap")
    if (kind in GAP_KINDS or asks_enumeration(q.form)) and not asks_policy_noun(q.form):
        cut = answer_gap(u, q)
        if cut is not None:
            return Span(doc, i, i + 1, cut[0], cut[1], score, kind, "gap")
        typed = (typed_clause(u, q) if kind in GAP_KINDS else None) or asked_titles(u, q)
        if typed is not None:
            return Span(doc, i, i + 1, typed[0], typed[1], score, kind, "typed")
    j = block_end(doc.units, i)
    if j > i + 1:  # a heading's body or an announced list, from its head unless the head restates the question
        first = i + 1 if is_heading(u) and _restates(u.text, q) else i
        return Span(doc, first, j, doc.units[first].start, doc.units[j - 1].end, score, kind, "block")
    shape = "sentence"
    if kind == "list":
        j = paragraph_end(doc.units, i, PARAGRAPH_SENTENCES)  # measures go on in the paragraph …
        k = i + 1
        while k < j and _shares_terms(doc.units[k].text, q):
            k += 1  # … while they still speak of what is asked
        j = k
        shape = "paragraph" if j > i + 1 else shape
    start = u.start + _lead_in(u.text, q)
    anchored = answer_start(u.text, q.form)
    if anchored is not None:
        start = max(start, u.start + anchored)
    last = doc.units[j - 1]
    end = last.start + _without_purpose(last.text)
    end = end if end > start else last.end
    if _novel_chars(u.text, q) < MIN_NEW_CHARS and j < len(doc.units) and \
            doc.units[j].series is None and doc.units[j].para == last.para:
        j, end = j + 1, doc.units[j].end  # it only restates the question (某某说。): the next sentence answers
    return Span(doc, i, j, start, end, score, kind, shape)


# A sentence with fewer characters than this outside the question's own says nothing new: the next
# sentence of its paragraph joins the span (ncpqa-dev dev split, routed questions: 0.4706 → 0.4741).
MIN_NEW_CHARS = 10


def _novel_chars(text: str, q: QuestionTerms) -> int:
    asked = set(q.content)
    return sum(ch not in asked for ch in match_form(text))


# A sentence goes on speaking of what is asked when it holds at least this many of the question's
# bigrams (ncpqa-dev dev split, policy spans on cached hits: any word or bigram 0.5722, 2 bigrams 0.5752,
# 3 bigrams 0.5723).
MIN_SHARED_BIGRAMS = 2


def _shares_terms(text: str, q: QuestionTerms) -> bool:
    form = match_form(text)
    return sum(b in form for b in q.bigrams) >= MIN_SHARED_BIGRAMS


# A trailing clause that states a purpose or a result (，确保…。 ，从而…。 ，为…提供…。) is not the measure
# asked for (ncpqa-dev dev split, routed questions: 0.4687 → 0.4703 with these words).
_PURPOSE = re.compile(r"^(?:确保|力争|从而|进而|以便|以免|以避免|为了|为)")


def _without_purpose(sentence: str) -> int:
    """Length of `sentence` without its trailing purpose or result clauses (the first clause stays)."""
    parts = clauses(sentence)
    cut = len(sentence)
    for c in reversed(parts[1:]):
        if not _PURPOSE.search(match_form(c)):
            break
        cut -= len(c)
    return cut


# A clause that frames the answer rather than being part of it: a source (据悉，…表示，…了解到，), a
# connective or an example marker (同时，此外，例如，值得注意的是，), an approval (经…同意，), or a purpose or
# basis (为…，根据…，按照…，针对…，).  The sources, approvals and example markers after 了解到 / 例如 raised
# the ncpqa-dev dev split 0.5579 → 0.5592 (policy spans on cached hits; a bare date clause, 2月4日，, did not: 0.5576).
_FRAME = re.compile(r"^(?:据悉|据了解|据介绍|另据|记者|目前|近日|日前|同时|此外|另外|其中|为此|对此|因此|例如|比如|譬如|"
                    r"值得留意的是|值得注意的是|与此同时|另一方面)[，,]"
                    r"|(?:表示|指出|介绍|强调|获悉|要求|提出|明确|透露|称|说|了解到|同意|批准|显示|通报|发布会上|会议上)"
                    r"[，,：:]$"
                    r"|^(?:为了?|根据|按照|依据|依照|对于|针对|围绕|结合)")
# A leading clause whose characters are at least this share the question's own only restates it;
# measured on the ncpqa-dev dev split: 0.3 → 0.426, 0.4 → 0.436, 0.5 → 0.434, no trimming 0.415.
RESTATES = 0.4


def _lead_in(sentence: str, q: QuestionTerms) -> int:
    """Characters of `sentence` before its answering part: leading clauses that restate the
    question or frame the answer (the last clause always stays)."""
    parts = clauses(sentence)
    cut = 0
    for c in parts[:-1]:
        if not _restates(c, q) and not _FRAME.search(match_form(c)):
            break
        cut += len(c)
    return cut


def _restates(text: str, q: QuestionTerms) -> bool:
    """At least RESTATES of the text's characters are the question's own."""
    asked = set(q.content)
    form = match_form(text)
    return sum(ch in asked for ch in form) / max(1, len(form)) >= RESTATES


# -- the answer ------------------------------------------------------------------------------------
# The policy path answers questions that do not ask for a figure (the facts and figure-clause path
# answers those); its span must cover at least this score (see `sentence_scores`: ~ the share of
# the question's content the span holds) — on the three dev suites the 10th percentile of
# answerable questions' best span is 0.66–0.74.
MIN_SPAN_SCORE = 0.5


# How a span was cut when it stands where the question has its wh word (`gap`) or is the clause
# holding a value of the asked kind (`typed`): the only cuts that answer a figure or a date.
TYPED_SHAPES = ("gap", "typed")


def answer_policy(question: str, analysis: Any, hits: list[Any], index: Any,
                  shapes: tuple[str, ...] | None = None) -> Answer | None:
    """The policy-span answer to `question` from the documents of `hits` (chunks or `Hit`s), or
    None when no sentence covers any of its content (or, with `shapes`, when the span was cut
    otherwise).  `analysis` (the assistant's Query) is not needed yet: the span scorer reads the
    question itself, so this stays a pure function of its inputs and of the index."""
    span = best_span(question, hits, index)
    if span is None or span.score <= MIN_SPAN_SCORE or (shapes is not None and span.shape not in shapes):
        return None
    return span_answer(span, index)


def span_answer(span: Span, index: Any) -> Answer | None:
    """The span as an answer: its text as the answer lines, its sentences as the quote."""
    text = re.sub(r"\s+", " ", span.doc.text[span.start: span.end]).strip()
    if not text:
        return None
    quote = re.sub(r"\s+", " ", span.doc.text[span.doc.units[span.first].start: span.doc.units[span.last - 1].end])
    evidence = _evidence(index, span, quote.strip())
    return Answer(answer_lines(text), [evidence] if evidence else [], mode="extractive",
                  confidence=min(1.0, span.score), shape=span.shape)


def _evidence(index: Any, span: Span, quote: str) -> Evidence | None:
    records = index.records
    doc_id = span.doc.doc_id
    offset = span.doc.units[span.first].start
    one = getattr(records, "document", None)  # not every record store has the one-document lookup
    info = one(doc_id) if one else next((d for d in records.documents() if d.get("doc_id") == doc_id), None)
    title = (info or {}).get("title") or doc_id
    section, page, chunk_id = "", None, None
    for c in records.chunks(doc_id=doc_id, kind="text"):
        if c.start <= offset < c.end or (chunk_id is None and c.end and c.start > offset):
            section, page, chunk_id = c.section, c.page_start, c.id
            if c.start <= offset < c.end:
                break
    return Evidence(doc_id, title, section, page, quote, chunk_id)


def wants_policy_span(analysis: Any, current: Answer, narrative: bool = False) -> bool:
    """Whether the policy span should answer instead of `current` (the flow's answer), by the
    question's answer type (assistant/query.py) and the kind of document that answered:

    - the flow refused: the span, unless a figure or a date is asked (the span picker has no
      measure or time check: a refused figure stays refused);
    - the flow answered with a sentence from a `narrative` document (a notice or a news item, not
      a plan or a report): the span of that document answers any question;
    - the flow answered with a sentence from a plan or a report: the span only for a policy question
      (措施/要求/条件/如何 …); figures and other short answers stay (seed dev: replacing them cost 0.05).
    """
    if current.abstained:
        return not asks_short_fact(analysis)
    if current.mode != "extractive":
        return False
    return narrative or is_policy_question(analysis)
