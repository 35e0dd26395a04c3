"""Extractive answers: the sentence(s) of the retrieved chunks that answer the question.

The flow, each step in its own module: sentences are ranked (`sentence_ranking`, over the terms
and sentence splits of `sentence_terms`), the first ranked candidates are checked by the
abstention features (`candidates`), and the answer is assembled here — the clause holding the
figure first (`answer_clauses`), the whole sentence as the quote, a second supporting sentence
when nearly as good, and indicator-table rows of the same document stating the same figure.
Too little support → abstain.
"""

from __future__ import annotations

import re

from assistant.answer_clauses import figure_clause, key_clause, with_enumeration
from assistant.binding import respectively
from assistant.candidates import best_candidate
from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus
from assistant.numbers import match_form, numbers_in
from assistant.paraphrase import defined_term, defines
from assistant.query import Query
from assistant.rowtext import squash
from assistant.sentence_ranking import score_sentences
from assistant.sentence_terms import SentenceScorer, bigrams
from ingest.model import Chunk

# assistant.assistant builds the scorer and answers through this module
__all__ = ["SentenceScorer", "abstain", "answer_extractive"]


def _defining_chunks(q: Query, hits: list[Chunk], scorer: SentenceScorer) -> list[Chunk]:
    """Chunks outside the hits that define the quoted term a question asks about: a definition
    (often a footnote) need not repeat the term's words, so retrieval by the term misses it."""
    term = defined_term(q.norm)
    if term is None:
        return []
    seen = {c.id for c in hits}
    return [c for c in scorer.text_chunks if c.id not in seen and (not q.doc_ids or c.doc_id in q.doc_ids)
            and any(defines(f, term) for _, f, _ in scorer.sentences(c))][:3]


def answer_extractive(q: Query, hits: list[Chunk], scorer: SentenceScorer, corpus: Corpus) -> Answer:
    hits = hits + _defining_chunks(q, hits, scorer)
    ranked = score_sentences(q, hits, scorer, corpus)
    if not ranked:
        return abstain(q, hits, "检索到的段落中没有可用的句子")
    best, feats, binding, decision = best_candidate(q, ranked, scorer, corpus)
    term = defined_term(q.norm)
    if not decision.answer:
        return abstain(q, hits, decision.why, decision.score)
    ev = corpus.chunk_evidence(best.chunk, best.sentence)
    if ev is None:
        return abstain(q, hits, "无法在原文中定位引用")
    if not q.wants_number:
        best = with_enumeration(best, scorer)
        ev = corpus.chunk_evidence(best.chunk, best.sentence) or ev
    # the clause holding the asked figure (the sentence stays the quote)
    first = binding.clause if binding is not None and binding.clause else key_clause(best.sentence, q, scorer)
    if q.wants_number:
        first = figure_clause(best.sentence, q, scorer, first)
        if paired := respectively(squash(best.sentence), q.norm):
            item, value, clause = paired
            first = f"{item}{value}" + (f"（{clause}）" if len(item + value + clause) <= 190 else "")
    lines = [first + "[1]"]
    evidence: list[Evidence] = [ev]
    # a second supporting sentence when it is nearly as good and says something else; for an
    # open question it joins the first line when both fit (an enumeration split over two sentences)
    for s in ranked[1:4]:
        also_defines = term is not None and defines(match_form(s.sentence), term)
        if term is not None and not also_defines:
            continue  # a definition is joined only by another definition, not by a use of the term
        if s.score >= best.score - 0.08 and s.sentence != best.sentence and (s.coverage >= 0.45 or also_defines):
            e2 = corpus.chunk_evidence(s.chunk, s.sentence)
            if e2 is not None:
                evidence.append(e2)
                second = f"{squash(s.sentence)}[{len(evidence)}]"
                if not q.wants_number and len(lines[0]) + len(second) <= 200:
                    lines[0] = lines[0] + second
                else:
                    lines.append(second)
            break
    evidence += _table_rows_stating(corpus, best.chunk.doc_id, lines[0])
    if len(squash(best.sentence)) > len(lines[0]) - 3:
        lines.append(f"原文：{squash(best.sentence)}[1]")
    return Answer(lines, evidence, mode="extractive", confidence=max(0.0, min(1.0, best.score)),
                  abstention_score=decision.score)


def _table_rows_stating(corpus: Corpus, doc_id: str, line: str) -> list[Evidence]:
    """An indicator-table row of the same document that gives a figure of the answer for an
    indicator the answer names (正文 "科技型中小企业注册数57家" ↔ 表1 科技企业数 57)."""
    figures = {n for n in numbers_in(line) if len(n) >= 2 and not re.fullmatch(r"(19|20)\d{2}", n)}
    out: list[Evidence] = []
    if not figures:
        return out
    lf = match_form(line)
    for ref in corpus.indicators:
        r = ref.row
        if r.doc_id != doc_id or ref.sources is not None:
            continue
        values = {n for v in r.values.values() for n in numbers_in(v)}
        hit = figures & values
        if not hit:
            continue
        name = bigrams(match_form(r.name))
        if name and len(name & bigrams(lf)) / len(name) >= 0.6:
            out.append(corpus.row_evidence(ref))
    return out[:3]


def abstain(q: Query, hits: list[Chunk], why: str, score: float = 0.0) -> Answer:
    lines = [f"文档中未找到该问题的答案（{why}）。"]
    sections = list(dict.fromkeys(f"{c.doc_title}：{c.section}（第{c.page_start}页）" for c in hits[:3] if c.section))
    if sections:
        lines.append("最接近的章节：" + "；".join(sections))
    return Answer(lines, [], abstained=True, mode="extractive", confidence=0.0, abstention_score=score)
