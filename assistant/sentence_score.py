"""How well each sentence of a document answers a question (0..1), for the policy span (`assistant.policy`).

A sentence is scored by how much of the question's content it covers — jieba words (the shared plain
tokenizer of `index.tokens`, never the global jieba) and character bigrams, each weighted by BM25 idf
over the document's sentences — and by how much of the question's content it holds in order; the
sentence before it lends part of what it holds (a heading or 问：… followed by the answer).
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz.distance import LCSseq
from rapidfuzz.process import cdist

from assistant.asked import QuestionTerms, bigrams, question_terms, wh_split
from assistant.docsentences import DocSentences

# Sentence score = coverage × novelty^NOVELTY_POWER (× HEADING_FACTOR for a heading), where coverage is
# the idf-weighted share of the question's words and bigrams a sentence holds, plus CONTEXT_SHARE of
# what it only gains from the sentence before it (a heading or 问：… followed by the answer).
# Measured on the ncpqa-dev dev split with the gold document given (.ptools-style grid): coverage
# alone picks a sentence scoring 0.341 ROUGE-L, with these three 0.380.
CONTEXT_SHARE = 0.6  # a term found only in the previous sentence counts this much
NOVELTY_POWER = 0.5  # a sentence that only repeats the question (a title, a heading) does not answer it
HEADING_FACTOR = 0.2  # a line without sentence-final punctuation is a title or heading, rarely the answer
# The order score (`_order`) is added with this weight; with the gold document given it raised the
# chosen span's ROUGE-L from 0.428 to 0.445 (ncpqa-dev dev split).
ORDER_WEIGHT = 0.6
ORDER_CONTEXT_SHARE = 0.8
# A notice's or report's preamble (为深入贯彻落实…，为进一步做好…，) states the occasion and purpose
# of the whole text — it holds a question's topic words but answers only a purpose question.  Its
# score is multiplied by PREAMBLE_FACTOR (ncpqa-dev dev split, policy spans on cached hits:
# 1 → 0.5264, 0.8 → 0.5301, 0.65 → 0.5318, 0.5 → 0.5318, 0.2 → 0.5295; a looser "为…，" opening
# took purposes inside measures too: 0.5095).
PREAMBLE_FACTOR = 0.5
_PREAMBLE = re.compile(r"^为(?:深入|进一步|认真|全面|切实|贯彻|落实|有效|做好|坚决|加强|积极)")
_ASKS_PURPOSE = re.compile(r"为什么|为何|目的|初衷|意义")


def coverage(doc: DocSentences, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence: the idf-weighted share of `terms` it holds, and the share it and the sentence
    before it hold together."""
    n = len(doc.units)
    own, both = np.zeros(n), np.zeros(n)
    total = 0.0
    for t in terms:
        w = doc.idf(t)
        total += w
        ix = doc.postings.get(t)
        if ix is None:
            continue
        mask = np.zeros(n, dtype=bool)
        mask[ix] = True
        own += w * mask
        mask[1:] |= mask[:-1].copy()
        both += w * mask
    total = total or 1.0
    return own / total, both / total


def sentence_scores(doc: DocSentences, q: QuestionTerms) -> list[float]:
    """How well each sentence answers the question (0..1): (1 - ORDER_WEIGHT) × the coverage
    score (constants above) + ORDER_WEIGHT × the order score (the question's content as one
    character sequence: the share of it a sentence holds in order, see `_order`)."""
    if not doc.units:
        return []
    w_own, w_both = coverage(doc, q.words)
    b_own, b_both = coverage(doc, q.bigrams)
    own, both = 0.5 * (w_own + b_own), 0.5 * (w_both + b_both)
    drop = {ord(ch): None for ch in set(q.content)}
    novel = np.array([len(f.translate(drop)) for f in doc.forms], dtype=np.float64) / doc.lengths
    score = (own + CONTEXT_SHARE * (both - own)) * novel ** NOVELTY_POWER
    score = np.where(doc.heading, score * HEADING_FACTOR, score)
    total = (1 - ORDER_WEIGHT) * score + ORDER_WEIGHT * _order(q.content.replace(" ", ""), doc)
    if not _ASKS_PURPOSE.search(q.form):
        preamble = np.array([bool(_PREAMBLE.match(u.text)) for u in doc.units])
        total = np.where(preamble, total * PREAMBLE_FACTOR, total)
    return list(total)


# The question's words right beside its wh word (不得用于 | 哪些 | 工作, 有哪些 | 优势) say what is asked;
# the rest (place, issuer, topic) is shared by a news item's lead and its answering sentence alike.
# Within the chosen document the focus share is added with this weight (ncpqa-dev dev split, policy
# spans on cached hits: 0 → 0.5168, 0.1 → 0.5221, 0.2 → 0.5264, 0.3 → 0.5244); FOCUS_CHARS of each
# side (2 → 0.5142, 3 → 0.5207, 4 → 0.5250, 6 → 0.5182 when added across documents).
FOCUS_WEIGHT = 0.2
FOCUS_CHARS = 4
_CLAUSE_MARK = re.compile(r"[，,；;：:]")


def focus_bigrams(form: str) -> list[str]:
    """Bigrams of the content words just before and just after the question's wh word, within its clause."""
    parts = wh_split(form)
    if parts is None:
        return []
    before, _, after = parts
    left = question_terms(_CLAUSE_MARK.split(before)[-1]).content.split() if before else []
    right = question_terms(_CLAUSE_MARK.split(after)[0]).content.split() if after else []
    near = (left[-1][-FOCUS_CHARS:] if left else "", right[0][:FOCUS_CHARS] if right else "")
    return list(dict.fromkeys(b for side in near for b in bigrams(side)))


def _order(seq: str, doc: DocSentences) -> np.ndarray:
    """Share of the question's content characters each sentence holds in order (LCS / length),
    plus ORDER_CONTEXT_SHARE of what the previous sentence adds to it (questions paraphrase the
    sentence whose words surround the answer, or a heading and its body)."""
    if not seq:
        return np.zeros(len(doc.units))
    own = cdist([seq], doc.forms, scorer=LCSseq.similarity)[0] / len(seq)
    both = cdist([seq], doc.pairs, scorer=LCSseq.similarity)[0] / len(seq)
    return own + ORDER_CONTEXT_SHARE * np.maximum(0.0, both - own)
