"""The abstention features of a candidate sentence (measure, time, scope, answer type, retrieval:
assistant/abstention.py), and the choice among the first ranked candidates.

`measure` is where a sentence is checked against what is asked: the question's rare words held,
the asked term defined, no contrasting measure (户籍 for 常住), the figure bound to the asked
measure at clause level (assistant/binding.py) and not a neighbouring list item's. Each way a
candidate fails is a named factor below, so the one calibrated cut-off (`ABSTAIN_BELOW`) decides.
"""

from __future__ import annotations

import math
import re
from typing import Any

from assistant.abbreviations import SYNONYMS, expand_synonyms
from assistant.abstention import Features, decide, retrieval_feature
from assistant.binding import bind, respectively
from assistant.corpus import Corpus
from assistant.numbers import match_form
from assistant.paraphrase import (
    asked_type,
    contrasting_measure,
    defined_term,
    defines,
    has_type,
    said_otherwise,
    wants_amount,
)
from assistant.query import Query
from assistant.question_terms import asked_family, key_words, unit_ok, word_in
from assistant.rowtext import squash
from assistant.sentence_terms import HAS_FIGURE, Scored, SentenceScorer

# how many of the question's rarest content words the sentence (or its section path) must hold: a
# figure question names a subject and its attribute (某电站 + 装机容量), both must be there
RARE_WORDS_HELD = {True: 2, False: 1}


def _word_held(w: str, where: str, q: Query) -> bool:
    """`w` is in `where` as asked, said otherwise, or as the full form of the abbreviation asked."""
    return word_in(w, where) or said_otherwise(w, where) or any(
        w in match_form(short) and match_form(short) in q.norm and match_form(full) in where for short, full in SYNONYMS)


def _has_rare_terms(best: Scored, q: Query, scorer: SentenceScorer) -> bool:
    """The question's rarest content word (人工智能, 双核, 民营…) occurs in the sentence or its section
    path: a sentence sharing only the question's common words does not answer it."""
    where = match_form(best.sentence) + match_form(best.chunk.section)
    where += expand_synonyms(where)  # 国内生产总值 in the text answers a question about GDP
    kw = key_words(q, scorer)
    if best.coverage >= 0.7:
        return True
    if kw[0]:
        # the rarest word as asked, or the full form of an abbreviation the question uses; the
        # expanded question's other words alone (研发经费 → R&D支出 → 支出) are too common
        # words of a document title the question quotes (《…》) name the document, not the measure
        titled = "".join(re.findall(r"《([^》]*)》", q.norm))
        words = [w for w in kw[0] if w not in titled]  # none: the question asks about the title
        return all(_word_held(w, where, q) for w in words[:RARE_WORDS_HELD[q.wants_number]])
    sets = [ws for ws in kw if ws]
    return not sets or any(ws[0] in where for ws in sets)


def word_coverage(best: Scored, q: Query, scorer: SentenceScorer) -> float:
    """The rarity-weighted share of the question's content words (jieba) that the sentence or its
    section path holds, as asked or with abbreviations written out (the better of the two): every
    word of 单位地区生产总值能耗 must be there, not only the common 地区生产总值."""
    where = match_form(best.sentence) + "|" + match_form(best.chunk.section)
    where += expand_synonyms(where)
    best_cov = 0.0
    for words in key_words(q, scorer):
        if not words:
            continue
        weights = {w: math.log((scorer.n + 1) / (scorer.word_df(w) + 0.5)) for w in words}
        total = sum(weights.values()) or 1.0
        held = sum(v for w, v in weights.items() if word_in(w, where) or said_otherwise(w, where))
        best_cov = max(best_cov, held / total)
    return best_cov if any(key_words(q, scorer)) else 1.0


_NUM_AFTER = re.compile(r"[^，,；;。：:]{0,14}?(\d|[一二三四五六七八九十两]+(个|大|家|项|条|类|种|台|座))")
# a figure before the term in its clause: 等22个部门, 200兆瓦/800兆瓦时全钒液流电池储能电站
_NUM_BEFORE = re.compile(r"(\d|[一二三四五六七八九十两]+(个|大|家|项|条|类|种|台|座))[^，,；;。：:\d]{0,12}$")


def _figure_follows_term(sentence: str, q: Query, scorer: SentenceScorer) -> bool:
    """Some rare question term is followed by a figure in the same clause ("规划面积53平方公里"),
    so the number belongs to what is asked and not to a neighbouring item of a list."""
    sf = re.sub(r"(19|20)\d{2}年", "年", match_form(sentence))
    terms = scorer.terms(q)
    if not terms:
        return True
    ranked = sorted(terms, key=lambda b: -terms[b])
    top = [b for b in ranked if b in sf][:6]
    family = asked_family(q)
    for b in top:
        start = 0
        while (i := sf.find(b, start)) >= 0:
            start = i + 1
            if _NUM_AFTER.match(sf, i + len(b)) and unit_ok(sf[i + len(b):], family):
                return True  # 规划面积53平方公里
            if family is None and _NUM_BEFORE.search(sf[max(0, i - 14):i]):
                return True  # 等22个部门
    return False


def _subject_only_listed(sf: str, q: Query, scorer: SentenceScorer) -> bool:
    """The question's subject (its rarest word) occurs only as an item of a list ("抽水蓄能发电、
    核电等清洁能源项目") whose clause holds no figure: the sentence's figures are for something
    else (the whole list, the next item), not for what is asked."""
    return any(_only_listed(sf, w) for w in key_words(q, scorer)[0][:3] if w in sf)


def _only_listed(sf: str, w: str) -> bool:
    start = 0
    while (i := sf.find(w, start)) >= 0:
        start = i + 1
        after, before = sf[i + len(w):i + len(w) + 6], sf[max(0, i - 1):i]
        if not (re.match(r"[\u4e00-\u9fff]{0,4}[、等]", after) or before == "、"):
            return False  # named on its own somewhere
        lo = max(sf.rfind(p, 0, i) for p in "，,；;：:")
        hi = min([j for j in (sf.find(p, i) for p in "，,；;。") if j >= 0] or [len(sf)])
        if HAS_FIGURE.search(re.sub(r"(19|20)\d{2}年", "", sf[lo + 1:hi])):
            return False  # the list's own clause carries a figure
    return True


def candidate_features(q: Query, best: Scored, scorer: SentenceScorer, corpus: Corpus) -> tuple[Features, Any]:
    """The abstention features of the best sentence (see assistant/abstention.py) and, for a
    figure question, the binding of the figure to the asked measure (its clause, if any)."""
    bf = match_form(best.sentence)
    kind = asked_type(q.norm)
    named = _names_entity_and_measure(q, best)
    binding = bind(q.norm, squash(best.sentence), match_form(best.chunk.section), q.expanded) \
        if q.wants_number else None
    f = Features(measure=_measure_match(q, best, scorer, named, binding), time=best.time,
                 scope=1.0, answer_type=1.0, retrieval=retrieval_feature(best.rank))
    if q.parks and not any(a in bf or a in match_form(best.chunk.section) for g in q.parks for a in g.aliases):
        f.scope = SCOPE_OTHER_PARK
    elif _other_place(q, best, corpus):
        f.scope = SCOPE_OTHER_PLACE
    if kind is not None:
        f.answer_type = 1.0 if has_type(bf, kind) else TYPE_MISSING_SHAPE
    elif q.wants_number and not HAS_FIGURE.search(re.sub(r"(19|20)\d{2}年", "", bf)):
        f.answer_type = TYPE_NO_FIGURE
    return f, binding


def _other_place(q: Query, best: Scored, corpus: Corpus) -> bool:
    """The question names a place (jieba's gazetteer) that is not the candidate document's own and
    that its sentence and section do not mention: 某省报告中某市的目标 is not the province's."""
    where = match_form(best.sentence) + match_form(best.chunk.section)
    # the candidate's own document and the other documents the question names (某省和某市…分别)
    docs = {best.chunk.doc_id, *q.doc_ids}
    own = [k for sc in corpus.vocab.scopes if sc.doc_id in docs for k in sc.keywords if len(k) >= 2]
    title = match_form(corpus.docs.get(best.chunk.doc_id, {}).get("title") or "")
    for w, flag in q.tokenizer.posseg(q.norm):
        if flag == "ns" and len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w):
            bare = re.sub(r"(省|市|县|区)$", "", w)
            if len(bare) < 2 or bare in title or bare in where or any(k in w for k in own) or \
                    any(w in k or k in w for k in q.scope_words):  # a place that named a document
                continue
            if corpus.vocab.is_place(bare):
                return True
    return False


# feature values for the cases a candidate fails outright (a floor, not a hard veto: the score decides)
SCOPE_OTHER_PARK = 0.2  # the question names a park the sentence and its section do not
TYPE_NO_FIGURE = 0.05  # a figure is asked and the sentence has none (years aside)
TYPE_MISSING_SHAPE = 0.3  # a 文号 / date / year is asked and the sentence has none
# the coverage of the question's content at which `measure` reaches 0.6: a figure question must
# share more of its words with the sentence than an open question
COVERAGE_AT_06 = {True: 0.45, False: 0.3}
BINDING_MISSING = 0.2  # `measure` when no clause states the asked measure in the asked unit
FIGURE_OF_OTHER_TERM = 0.2  # no figure follows a rare question term: the figures belong to other terms
SUBJECT_ONLY_LISTED = 0.2  # the subject appears only as an item of a list whose clause has no figure
# `measure` with none of the question's content words held, as a share of full measure
WORDS_FLOOR = 0.3
SCOPE_OTHER_PLACE = 0.3  # the question names a place that is neither the document's nor in the sentence


def _measure_match(q: Query, best: Scored, scorer: SentenceScorer, named: bool, binding: Any) -> float:
    """Does the sentence state what is asked (not another measure, not a neighbour's figure)?"""
    bf = match_form(best.sentence)
    kind = asked_type(q.norm)
    term = defined_term(q.norm)
    if kind in ("doc_no", "date") and has_type(bf, kind) and q.time.empty:
        return 1.0  # a 文号 / date is recognised by its shape; the question's words are the title's
    if term is not None and defines(bf, term):
        return 1.0  # the sentence defines the asked term
    if contrasting_measure(q.norm, bf) is not None:
        return 0.0  # 户籍 for 常住
    if wants_amount(q.norm) and q.wants_number and _only_rates(bf):
        return 0.0  # only a rate where an amount is asked
    if binding is not None and binding.applies and binding.clause is None:
        return BINDING_MISSING  # no clause gives the asked measure in the asked unit
    m = 1.0 if named else min(1.0, 0.6 * best.coverage / COVERAGE_AT_06[q.wants_number])
    if not _has_rare_terms(best, q, scorer):
        m *= 0.4
    m *= WORDS_FLOOR + (1 - WORDS_FLOOR) * word_coverage(best, q, scorer)
    if q.wants_number and respectively(squash(best.sentence), q.norm) is not None:
        return m  # "A、B分别为x、y": the asked item's figure is paired with it, not a neighbour's
    if q.wants_number and not named and not _figure_follows_term(best.sentence, q, scorer):
        m *= FIGURE_OF_OTHER_TERM
    if q.wants_number and _subject_only_listed(bf, q, scorer):
        m *= SUBJECT_ONLY_LISTED
    return m


# for a figure question vetoed on its top sentence, the next ranked sentences are tried: the ranking
# adds evidence loosely (a figure of another year still ranks high), the score makes any feature
# near zero a veto. An open question keeps its top sentence (or the policy span answers it).
CANDIDATES = 3


def best_candidate(q: Query, ranked: list[Scored], scorer: SentenceScorer, corpus: Corpus) -> tuple:
    """(sentence, features, binding, decision) of the first ranked sentence that clears the
    abstention threshold among the first `CANDIDATES`, else of the best-scoring one."""
    out = None
    for s in ranked[:CANDIDATES if q.wants_number else 1]:
        feats, binding = candidate_features(q, s, scorer, corpus)
        decision = decide(feats)
        if out is None or decision.score > out[3].score:
            out = (s, feats, binding, decision)
        if out[3].answer:
            break  # the ranking's order stands among sentences that clear the threshold
    return out


_ORG = re.compile(r"基地|园区|开发区|产业园|工业园|孵化器|中心|公司|集团|平台|小镇|研究院|分院|大学|实验室|电厂|"
                  r"港区|示范区|新区|产业区|经济区")
_ASK_PHRASING = re.compile(r"(多少|几)(家|个|项|户|座|台|条|所|名|亿元|万元|元)?|现在|目前|现有|共有|一共|总共|拥有|"
                           r"请问|(19|20)\d{2}年|[有是为的了吗呢？?。，,]")


def _names_entity_and_measure(q: Query, best: Scored) -> bool:
    """The sentence (or its section) names the question's organisation in full ("…科技型中小企业
    基地") and the sentence states a figure right after the measure asked of it ("在孵企业82家"): a
    long name shares few rare bigrams with the rest of the question, so coverage understates the match."""
    sf = match_form(best.sentence)
    where = sf + "|" + match_form(best.chunk.section)
    qn = q.norm
    for m in _ORG.finditer(qn):
        for start in range(0, m.end() - 5):
            if qn[start:m.end()] not in where:
                continue
            rest = _ASK_PHRASING.sub(" ", qn[:start] + " " + qn[m.end():])
            measure = [w for w in rest.split() if len(w) >= 2]
            return bool(measure) and all(any(_NUM_AFTER.match(sf, k.end()) for k in re.finditer(re.escape(w), sf))
                                         for w in measure)
    return False


def _only_rates(sf: str) -> bool:
    """Every figure of the sentence (years aside) is a percentage."""
    body = re.sub(r"(19|20)\d{2}年", "", sf)
    figs = re.findall(r"\d+(?:\.\d+)?\s*(%|个百分点)?", body)
    return bool(figs) and all(u for u in figs)
