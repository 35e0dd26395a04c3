"""Ranking the sentences of the retrieved chunks for an extractive answer.

A sentence's score adds up loose evidence: how much of the question's content it and its section
path cover (rarity-weighted bigrams), whether it speaks of the asked time, holds a figure when one
is asked, names the asked park, carries the asked unit, answer shape or definition. The ranking
only orders candidates; whether the best one answers is decided afterwards by the abstention
features (`candidates`), so a loosely ranked sentence never becomes an answer on its score alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus import Corpus
from assistant.numbers import match_form
from assistant.paraphrase import asked_type, contrasting_measure, defined_term, defines, has_type
from assistant.query import Query
from assistant.question_terms import asked_count, asked_family, has_unit, key_words, word_in
from assistant.sentence_terms import HAS_FIGURE, Scored, SentenceScorer, bigrams
from assistant.timeframe import covers, time_match, years_for
from ingest.model import Chunk, DocumentProfile


def _hit(term: str, grams: set[str], form: str) -> bool:
    """A bigram term is looked up among a text's bigrams; a paraphrase form (距, 之称) in its text."""
    return term in grams if len(term) == 2 else term in form


@dataclass(frozen=True)
class _Asked:
    """What every sentence is scored against, computed once per question."""
    term_sets: list[tuple[dict[str, float], float]]  # content terms (as asked, expanded, paraphrased), total weight
    qgrams: set[str]  # the question's own bigrams (a sentence that only restates them adds nothing)
    park_aliases: list[str]
    asked_keys: set[str]  # keys of the park groups the question names
    kind: str | None  # an answer shape (文号, date, …): paraphrase.asked_type
    term: str | None  # a quoted term whose definition is asked
    family: tuple[str, ...] | None  # the unit family of the asked figure, or a count
    rarest: list[str]  # the question's rarest content word (at most one)


@dataclass(frozen=True)
class _Where:
    """Where a chunk's sentences stand: the asked years in its document, its section path."""
    profile: DocumentProfile | None
    years: set[int]
    doc_covers: bool  # the document's period covers the asked years
    fact_years: str  # a prose fact's years (ingest meta), written as 2025年
    section_form: str
    ctext: str  # the chunk's matching form (what precedes a sentence may state its year)
    sec_grams: set[str]
    other_park: bool  # the section is about another park than the asked one


def score_sentences(q: Query, hits: list[Chunk], scorer: SentenceScorer, corpus: Corpus) -> list[Scored]:
    """Every sentence of the hits' text chunks, best first (the question's document only, if it names one)."""
    asked = _asked(q, scorer)
    out: list[Scored] = []
    for rank, chunk in enumerate(hits):
        if chunk.kind == "table_row":
            continue
        if q.doc_ids and chunk.doc_id not in q.doc_ids:
            continue  # the question names its document (某县…, 示范区…)
        where = _where(q, chunk, corpus, asked)
        for sent, sf, sgrams in scorer.sentences(chunk):
            out.append(_score(q, asked, where, sent, sf, sgrams, chunk, rank))
    out.sort(key=lambda s: -s.score)
    return out


def _asked(q: Query, scorer: SentenceScorer) -> _Asked:
    return _Asked(term_sets=[(t, sum(t.values()) or 1.0) for t in scorer.term_sets(q)],
                  qgrams=bigrams(q.norm) | bigrams(q.expanded),
                  park_aliases=[a for g in q.parks for a in g.aliases],
                  asked_keys={g.key for g in q.parks},
                  kind=asked_type(q.norm),
                  term=defined_term(q.norm),
                  family=asked_family(q) or asked_count(q),
                  rarest=[ws[0] for ws in key_words(q, scorer)[:1] if ws])


def _where(q: Query, chunk: Chunk, corpus: Corpus, asked: _Asked) -> _Where:
    profile = corpus.profiles.get(chunk.doc_id)
    years = years_for(q.time, profile) if not q.time.empty else set()
    # a prose fact's span often leaves its year outside ("到2025年，" + span): ingest put it in meta
    fact_years = "".join(f"{str(y)[-4:]}年" for y in (chunk.meta or {}).get("years") or []) \
        if chunk.kind == "fact" else ""
    section_form = match_form(chunk.section)
    # a section about another park (…> 4、某市某地经济开发区 > 基本情况) does not describe the
    # asked one, even when its sentences mention it ("距某岛临港工业区48公里")
    sec_keys = {g.key for g, _ in corpus.vocab.parks_in(section_form)} if asked.asked_keys else set()
    return _Where(profile=profile, years=years, doc_covers=covers(years, profile), fact_years=fact_years,
                  section_form=section_form, ctext=match_form(chunk.text), sec_grams=bigrams(section_form),
                  other_park=bool(sec_keys) and not (sec_keys & asked.asked_keys))


def _score(q: Query, asked: _Asked, where: _Where, sent: str, sf: str, sgrams: set[str], chunk: Chunk,
           rank: int) -> Scored:
    """One sentence: coverage of the question's content, then the time, figure, park and shape
    evidence (added in a fixed order: the scores are compared across sentences)."""
    before = where.ctext[: max(0, where.ctext.find(sf))]
    in_sent = cov = 0.0
    for terms, total in asked.term_sets:
        i = sum(w for b, w in terms.items() if _hit(b, sgrams, sf)) / total
        c = i + sum(w for b, w in terms.items()
                    if _hit(b, where.sec_grams, where.section_form) and not _hit(b, sgrams, sf)) / total
        in_sent, cov = max(in_sent, i), max(cov, c)
    score = 0.45 * cov + 0.45 * in_sent - 0.01 * rank
    tm = time_match(where.years, sf + where.fact_years, where.section_form, before, where.profile) \
        if where.years else 1.0
    if where.years:
        # in the sentence +0.15 … from the profile ≈0 … another year only −0.3
        score += 0.45 * tm - 0.3 - (0.0 if where.doc_covers else 0.2)
    score = _figure_and_park(q, asked, where, sf, score)
    score = _shape_and_term(q, asked, sf, sgrams, score)
    return Scored(score, in_sent, sent, chunk, rank, tm if where.doc_covers else tm * 0.5)


def _figure_and_park(q: Query, asked: _Asked, where: _Where, sf: str, score: float) -> float:
    if q.wants_number:
        score += 0.1 if HAS_FIGURE.search(re.sub(r"(19|20)\d{2}年", "", sf)) else -0.4
    if asked.park_aliases:
        if where.other_park:
            score -= 0.25
        else:
            score += 0.1 if any(a in sf or a in where.section_form for a in asked.park_aliases) else -0.3
    if asked.family is not None:  # 几个 → a count, 多少亿元 → money: the sentence has that unit
        score += 0.1 if has_unit(sf, asked.family) else -0.1
    if asked.rarest and word_in(asked.rarest[0], sf):
        # the question's rarest word (民营企业, 双核) is the sentence's own; for a figure the
        # figure itself matters more
        score += 0.05 if q.wants_number else 0.1
    return score


def _shape_and_term(q: Query, asked: _Asked, sf: str, sgrams: set[str], score: float) -> float:
    kind, term = asked.kind, asked.term
    if kind is not None:  # a 文号 or a date is recognised by its shape alone
        shape = kind in ("doc_no", "date")
        score += (0.6 if shape else 0.35) if has_type(sf, kind) else (-0.4 if shape else -0.1)
    if term is not None:
        if defines(sf, term):
            score += 0.8  # “双核”为…… answers "“双核”指哪两个园区"
        elif term in sf:
            score -= 0.3  # uses the term ("服务某市“两先区”建设") without saying what it is
    if contrasting_measure(q.norm, sf):
        score -= 0.5  # 户籍人口 does not answer a question about 常住人口
    if len(sf) > 400:
        score -= 0.1
    if sgrams and len(sgrams - asked.qgrams) / len(sgrams) < 0.4:
        score -= 0.15  # the sentence mostly restates the question and adds nothing
    return score
