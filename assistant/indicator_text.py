"""Body-text sentences about an indicator-table figure: one stating the same figure (corroborating),
one giving the same indicator for the same year a different figure (conflicting), and the clause
that gives a figure where the table has none (`text_figure`, for a two-plan comparison).

Kept apart from the row ranking: these read the documents' sentences, not the table rows, and
each is a check the indicator answer adds after it has picked its row.
"""

from __future__ import annotations

import re

from assistant.abbreviations import expand_synonyms
from assistant.cite import Evidence
from assistant.corpus import Corpus, RowRef
from assistant.indicator_match import question_content, year_value, years_of
from assistant.numbers import is_blank_cell, match_form
from assistant.query import Query
from assistant.rowtext import bigrams as _bigrams
from assistant.rowtext import sentences as _sentences


def text_figure(corpus: Corpus, doc_id: str, name: str | None, q: Query) -> tuple[str, Evidence] | None:
    """The clause of a document's text that gives a figure for the indicator (by its table name, else
    the question's words) in the asked year: 研发经费投入年均增长5%以上."""
    words = expand_synonyms(match_form(name)) if name else question_content(q, corpus)
    nb = _bigrams(words)
    if len(nb) < 2:
        return None
    best: tuple[float, str, Evidence] | None = None
    for c in corpus.text_chunks(doc_id):
        cf = corpus.form_of(c)
        if q.years and not all(str(y) in cf for y in q.years):
            continue
        for sent in _sentences(c.text):
            sf = match_form(sent)
            if q.years and not all(str(y) in sf for y in q.years):
                continue
            for clause in re.split(r"[，,；;。]", sf):
                if not re.search(r"\d", re.sub(r"(19|20)\d{2}年?", "", clause)):
                    continue
                cov = len(nb & _bigrams(expand_synonyms(clause))) / len(nb)
                if cov >= 0.5 and (best is None or cov > best[0]):
                    ev = corpus.chunk_evidence(c, sent.strip())
                    if ev is not None:
                        best = (cov, clause, ev)
    return (best[1], best[2]) if best else None


def corroborating_sentence(corpus: Corpus, ref: RowRef, q: Query) -> Evidence | None:
    """A sentence of the body text stating the same figure for the same indicator, if any."""
    r = ref.row
    values = [v for y in (q.years or years_of(r)) if (yv := year_value(r, y)) and
              not is_blank_cell(v := yv[1]) and re.search(r"\d", v)]
    if not values:
        return None
    nb = _bigrams(expand_synonyms(match_form(r.name)))
    best, best_cov = None, 0.0
    for c in corpus.text_chunks(r.doc_id):
        cf = corpus.form_of(c)
        for v in values:
            vf = match_form(v)
            num = re.search(r"\d+(?:\.\d+)?", vf)
            if not num or num.group(0) not in cf:
                continue
            for sent in _sentences(c.text):
                sf = match_form(sent)
                if not re.search(rf"(?<![\d.]){re.escape(num.group(0))}(?![\d.])", sf):
                    continue
                if q.years and not any(str(y) in sf for y in q.years):
                    continue
                cov = len(nb & _bigrams(expand_synonyms(sf))) / max(1, len(nb))
                if cov > best_cov:
                    best, best_cov = (c, sent), cov
    if best is None or best_cov < 0.6:
        return None
    return corpus.chunk_evidence(best[0], best[1].strip())


def conflicting_statement(corpus: Corpus, ref: RowRef, year: int, value: str) -> tuple[str, Evidence] | None:
    """The body text giving the same indicator for the same year a different figure (表1 142.5亿元
    vs 正文 "2020年……完成规模以上工业营业收入148.6亿元"): the clause and its evidence."""
    r = ref.row
    unit = re.sub(r"[（）()\s]", "", r.unit or "")
    if not unit or not re.search(r"\d", value):
        return None
    name = expand_synonyms(match_form(r.name))
    nb = _bigrams(name)
    mine = match_form(value)
    for c in corpus.text_chunks(r.doc_id):
        cf = corpus.form_of(c)
        if str(year) not in cf or corpus.vocab.parks_in(match_form(c.section)):
            continue  # a park's own figures do not contradict the city's table
        for sent in _sentences(c.text):
            sf = expand_synonyms(match_form(sent))
            if str(year) not in sf and str(year) not in cf[: cf.find(match_form(sent)[:10])]:
                continue
            for clause in re.split(r"[，,；;。]", sf):
                m = re.search(rf"(\d+(?:\.\d+)?){re.escape(unit)}", clause)
                if not m or m.group(1) in mine:
                    continue
                head = clause[: m.start()]
                if corpus.vocab.parks_in(head):
                    continue
                if len(nb & _bigrams(head)) / max(1, len(nb)) >= 0.8 and len(head) <= len(name) + 8 and \
                        not _word_inserted(head, nb):
                    ev = corpus.chunk_evidence(c, sent)
                    if ev is not None:
                        return clause, ev
    return None


_VERB = re.compile(r"实现|完成|达到|累计|全年|共计|合计|全部")


def _word_inserted(text: str, name_grams: set[str]) -> bool:
    """A word inside the span the indicator name covers (规模以上[食品]工业产值): a narrower
    indicator, not the same one. One inserted character (工业[总]产值) is still the same."""
    at = [i for i in range(len(text) - 1) if text[i:i + 2] in name_grams]
    if not at:
        return False
    span = _VERB.sub("", text[min(at): max(at) + 2])
    return sum(1 for i in range(len(span) - 1) if span[i:i + 2] not in name_grams) >= 3


