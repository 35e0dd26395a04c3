"""Extractive answers: pick the sentence(s) of the retrieved chunks that answer the question.

Sentences are scored by how much of the question's content they cover (character bigrams weighted
by rarity across the corpus), whether they carry the asked year, a number when a number is asked,
and the park the question names. The answer's first line is the clause holding the figure; the
quote is the whole sentence as printed. Too little support → abstain.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from assistant.abstention import Features, decide, retrieval_feature
from assistant.binding import bind, respectively
from assistant.bounded import LRUCache
from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus
from assistant.numbers import match_form, numbers_in
from assistant.paraphrase import (
    asked_type,
    contrasting_measure,
    defined_term,
    defines,
    has_type,
    said_otherwise,
    variants,
    wants_amount,
)
from assistant.query import Query
from assistant.termstats import TextChunkStats
from assistant.timeframe import covers, time_match, years_for
from assistant.vocab import SYNONYMS, expand_synonyms
from index.tokens import Tokenizer, plain_tokenizer
from ingest.model import Chunk

SENTENCE_CACHE_CHUNKS = 4096  # chunks whose sentence split is kept (a question reads ~100-300)
TERM_CACHE_QUESTIONS = 1024  # questions whose content bigrams are kept

_SENT_END = re.compile(r"(?<=[。！？；!?;])|\n")
_CLAUSE = re.compile(r"(?<=[，,：:])")
# a figure: digits, or a Chinese count (四个园区, 七大产业, 两大主力产业)
_HAS_NUM = re.compile(r"\d|[一二三四五六七八九十两百千]+(个|大|家|项|条|类|种|次|批|台|座)")
_STOP = re.compile(
    r"[?？。，,！!、“”\"()（）]|是多少|为多少|多少|什么|哪些|哪个|哪几|哪两|几个|指的是|指的|如何|怎样|怎么|是否|"
    r"请问|根据|文件|文档|规划|方案|"
    r"中|的|了|吗|呢|是|有|在|和|与|及|对|要|将|会|能|为|达到|到|目标|提出|要求|计划|主要|"
    r"[0-9]{4}年")


@dataclass
class Scored:
    score: float
    coverage: float
    sentence: str
    chunk: Chunk
    rank: int
    time: float = 1.0  # time_match of the sentence in its document (1 when no time is asked)


class SentenceScorer:
    """Bigram rarity weights learned from the corpus chunks once per Assistant."""

    def __init__(self, chunks: list[Chunk], tokenizer: Tokenizer | None = None):
        self.tokenizer = tokenizer or plain_tokenizer()
        self.text_chunks = [c for c in chunks if c.kind == "text"] or list(chunks)
        self.stats = TextChunkStats([c.text for c in self.text_chunks])
        self.n, self.df = self.stats.n, self.stats.df
        self._sentences: LRUCache[str, list[tuple[str, str, set[str]]]] = LRUCache(SENTENCE_CACHE_CHUNKS)
        self.scope_words: set[str] = set()  # words naming a document (某县, 示范区), set by the Assistant
        self._terms: LRUCache[str, list[dict[str, float]]] = LRUCache(TERM_CACHE_QUESTIONS)

    def sentences(self, chunk: Chunk) -> list[tuple[str, str, set[str]]]:
        """(sentence, matching form, bigrams) of a chunk, computed once."""
        got = self._sentences.get(chunk.id)
        if got is None:
            # the bigrams of the abbreviations written out too: 国内生产总值 in a sentence answers a
            # question whose expanded form says 地区生产总值
            got = [(s, f, _bigrams(f) | _bigrams(expand_synonyms(f))) for s in split_sentences(chunk.text)
                   for f in [match_form(s)]]
            self._sentences[chunk.id] = got
        return got

    def word_df(self, word: str) -> int:
        """How many text chunks contain `word` (posting lists built once, counts cached)."""
        return self.stats.word_df(word)

    def idf(self, bg: str) -> float:
        return math.log((self.n + 1) / (self.df.get(bg, 0) + 0.5))

    def term_sets(self, q: Query) -> list[dict[str, float]]:
        """Content bigrams of the question as asked and with abbreviations written out (规上 →
        规模以上); the park it names is left out (it is checked separately)."""
        got = self._terms.get(q.norm)
        if got is not None:
            return got
        out = []
        texts = [(t, []) for t in dict.fromkeys((q.norm, q.expanded))] + variants(q.norm)
        for text, forms in texts:
            for w in sorted(set(q.park_words) | self.scope_words, key=lambda w: (-len(w), w)):
                text = text.replace(w, " ")
            bgs: set[str] = set()
            latin: set[str] = set()
            for part in _STOP.sub(" ", text).split():
                # a Latin term (GDP, R&D) is one word, not letter pairs that inflate its weight
                latin |= {w for w in _LATIN.findall(part) if len(w) >= 2}
                for piece in _LATIN.split(part):
                    bgs |= _bigrams(piece)
            # bigrams the corpus never contains are the question's own phrasing (哪两, 指的)
            terms = {b: self.idf(b) for b in bgs if self.df.get(b, 0) > 0}
            for w in latin:
                if (df := self.word_df(w)) > 0:
                    terms[w] = math.log((self.n + 1) / (df + 0.5))
            # a text form of a paraphrased word counts whole (距 for 距离), as much as a rare bigram
            for f in forms:
                if f in text:
                    terms[f] = max([self.idf(b) for b in _bigrams(f)] + [math.log(self.n + 1)])
            out.append(terms)
        got = self._terms[q.norm] = [t for t in out if t] or [{}]
        return got

    def terms(self, q: Query) -> dict[str, float]:
        merged: dict[str, float] = {}
        for t in self.term_sets(q)[:2]:  # paraphrase variants help find a sentence, not cut it
            merged.update(t)
        return merged


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&.]*")


def _hit(term: str, grams: set[str], form: str) -> bool:
    """A bigram term is looked up among a text's bigrams; a paraphrase form (距, 之称) in its text."""
    return term in grams if len(term) == 2 else term in form


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9&.%]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


_HEADING = re.compile(r"^\s*([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、．]|[①-⑳]|第[一二三四五六七八九十]+[章节])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a chunk; heading lines (（一）做大做强三大基础产业) are context, not answers."""
    out = []
    for s in _SENT_END.split(text):
        s = (s or "").strip()
        if len(s) < 4 or (_HEADING.match(s) and len(s) <= 40 and not re.search(r"[。；;]$", s)):
            continue
        out.append(s)
    return out


def score_sentences(q: Query, hits: list[Chunk], scorer: SentenceScorer, corpus: Corpus) -> list[Scored]:
    term_sets = [(t, sum(t.values()) or 1.0) for t in scorer.term_sets(q)]
    qgrams = _bigrams(q.norm) | _bigrams(q.expanded)
    park_aliases = [a for g in q.parks for a in g.aliases]
    asked_keys = {g.key for g in q.parks}
    kind = asked_type(q.norm)
    term = defined_term(q.norm)
    family = _asked_family(q) or _asked_count(q)
    rarest = [ws[0] for ws in key_words(q, scorer)[:1] if ws]
    out: list[Scored] = []
    timed = not q.time.empty
    for rank, chunk in enumerate(hits):
        if chunk.kind == "table_row":
            continue
        if q.doc_ids and chunk.doc_id not in q.doc_ids:
            continue  # the question names its document (某县…, 示范区…)
        profile = corpus.profiles.get(chunk.doc_id)
        years = years_for(q.time, profile) if timed else set()
        doc_covers = covers(years, profile)
        # a prose fact's span often leaves its year outside ("到2025年，" + span): ingest put it in meta
        fact_years = "".join(f"{str(y)[-4:]}年" for y in (chunk.meta or {}).get("years") or []) \
            if chunk.kind == "fact" else ""
        section_form = match_form(chunk.section)
        ctext = match_form(chunk.text)
        sec_grams = _bigrams(section_form)
        # a section about another park (…> 4、某市某地经济开发区 > 基本情况) does not describe the
        # asked one, even when its sentences mention it ("距某岛临港工业区48公里")
        sec_keys = {g.key for g, _ in corpus.vocab.parks_in(section_form)} if asked_keys else set()
        other_park = bool(sec_keys) and not (sec_keys & asked_keys)
        for sent, sf, sgrams in scorer.sentences(chunk):
            before = ctext[: max(0, ctext.find(sf))]
            in_sent = cov = 0.0
            for terms, total in term_sets:
                i = sum(w for b, w in terms.items() if _hit(b, sgrams, sf)) / total
                c = i + sum(w for b, w in terms.items()
                            if _hit(b, sec_grams, section_form) and not _hit(b, sgrams, sf)) / total
                in_sent, cov = max(in_sent, i), max(cov, c)
            score = 0.45 * cov + 0.45 * in_sent - 0.01 * rank
            tm = time_match(years, sf + fact_years, section_form, before, profile) if years else 1.0
            if years:
                # in the sentence +0.15 … from the profile ≈0 … another year only −0.3
                score += 0.45 * tm - 0.3 - (0.0 if doc_covers else 0.2)
            if q.wants_number:
                score += 0.1 if _HAS_NUM.search(re.sub(r"(19|20)\d{2}年", "", sf)) else -0.4
            if park_aliases:
                if other_park:
                    score -= 0.25
                else:
                    score += 0.1 if any(a in sf or a in section_form for a in park_aliases) else -0.3
            if family is not None:  # 几个 → a count, 多少亿元 → money: the sentence has that unit
                score += 0.1 if _has_unit(sf, family) else -0.1
            if rarest and word_in(rarest[0], sf):
                # the question's rarest word (民营企业, 双核) is the sentence's own; for a figure the
                # figure itself matters more
                score += 0.05 if q.wants_number else 0.1
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
            if sgrams and len(sgrams - qgrams) / len(sgrams) < 0.4:
                score -= 0.15  # the sentence mostly restates the question and adds nothing
            out.append(Scored(score, in_sent, sent, chunk, rank, tm if doc_covers else tm * 0.5))
    out.sort(key=lambda s: -s.score)
    return out


_QWORDS = re.compile(r"^(多少|什么|哪些|哪个|哪里|如何|怎样|怎么|是否|目标|要求|达到|是多|请问|根据|文件|规划|方案|"
                     r"多长|多大|多高|几个|几家|情况|主要|重点|提出|计划|预计|力争|争取|全市|我市|其中|以上|"
                     r"以下|包括|分别|哪两|哪几|比重|比例|占比|总额|数量|数值|指标|实现|完成|建设|发展|产业|"
                     r"超过|多于|大约|左右|哪天|何时|时间|什么时候|要求|负责|哪个|部门|称号|属于|期间|期末|"
                     r"十四五|十三五|数量|年底|年末|今年|明年|去年|上年|本年|全年|预期|预计|报告|工作报告|政府工作报告|"
                     r"还是|幅度|具体|分别|多少亿|多少万|数字|数据|数值|方面|统计|说法|给出|提到|写到)$")


# a unit of measure is how the figure is written, not what is measured
_UNIT_WORD = re.compile(r"[亿万千百]*(元|美元|吨|千瓦时|千瓦|兆瓦|瓦|人次|人|户|平方公里|平方米|公里|亩|公顷|个|家|项|条|所|名|"
                        r"台|座|辆|列|标箱|立方米)")
_ASKS_TYPE = re.compile(r"^(哪个|哪家|哪座|哪所|哪种|哪类|哪一|什么|何种|哪)$")


def key_words(q: Query, scorer: SentenceScorer) -> list[list[str]]:
    """Content words of the question (jieba), rarest first, as asked and with abbreviations written
    out; park names and document names are left out (checked elsewhere)."""
    skip = set(q.park_words) | {a for g in q.parks for a in g.aliases} | scorer.scope_words
    # the question's own words that name a document (社会事业 of 某地社会事业专项规划 cut into 社会, 事业)
    naming = [k for k in q.scope_words if len(k) >= 3 and k in q.norm]
    out = []
    for text in dict.fromkeys((q.norm, q.expanded)):
        words = []
        # Latin terms (R&D, PM2.5) are one word; jieba would cut them into letters
        latin = re.findall(r"[A-Za-z][A-Za-z0-9&.]+", text)
        prev = ""
        for w in latin + scorer.tokenizer.cut(re.sub(r"[A-Za-z][A-Za-z0-9&.]+", " ", text)):
            w, asked = w.strip(), prev
            prev = w or prev
            if _ASKS_TYPE.match(asked):
                continue  # 哪个县级市 / 什么基地 / 哪家企业: the kind of answer, not a word the text repeats
            if len(w) < 2 or w in skip or _holds_any(w, scorer.scope_words) or any(w in k for k in naming) \
                    or _QWORDS.match(w) \
                    or re.fullmatch(r"[\d.%年月日]+", w) or _UNIT_WORD.fullmatch(w):
                continue
            if not re.search(r"[\u4e00-\u9fffA-Za-z]", w):
                continue
            w, df = _found_form(w, scorer)
            if df > 0:
                words.append((df, w))
        out.append([w for _, w in sorted(set(words))])
    return out


def _holds_any(w: str, words: set[str]) -> bool:
    """Whether some word of `words` occurs in `w` (by w's substrings: `words` names every document)."""
    return any(w[i:j] in words for i in range(len(w)) for j in range(i + 1, len(w) + 1))


def _found_form(w: str, scorer: SentenceScorer) -> tuple[str, int]:
    """`w`, or when the text never writes it, a shorter head of it that the text does write
    (核电站 → 核电): the question's subject is still the text's word, not one to drop."""
    df = scorer.word_df(w)
    for cut in (1, 2):
        if df > 0 or len(w) - cut < 2:
            break
        if (d := scorer.word_df(w[:-cut])) > 0:
            return w[:-cut], d
    return w, df


def word_in(word: str, text: str) -> bool:
    """`word` in `text`, or a four-character compound split by a modifier (民营企业 ↔ 民营工业企业)."""
    return word in text or (len(word) == 4 and word[:2] in text and word[2:] in text
                            and 0 < text.find(word[2:], text.find(word[:2])) - text.find(word[:2]) <= 6)


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


_UNIT_FAMILIES = [("亿美元", "万美元", "美元"), ("亿元", "万元", "元"), ("%",), ("万千瓦", "千瓦", "兆瓦", "MW", "GW"),
                  ("平方公里", "平方米", "亩", "公顷", "m2", "m²"), ("万吨", "吨"), ("公里", "千米", "米"),
                  ("家", "个", "户", "项")]


def _asked_family(q: Query) -> tuple[str, ...] | None:
    """The unit family a question asks its figure in (多少亿元 → money), if it names one."""
    m = re.search(r"(多少|几)(亿美元|万美元|亿元|万元|元|万千瓦|千瓦|兆瓦|MW|平方公里|平方米|亩|万吨|吨|公里|米|%)", q.norm)
    if not m:
        return None
    return next((f for f in _UNIT_FAMILIES if m.group(2) in f), None)


def _asked_count(q: Query) -> tuple[str, ...] | None:
    """几个/多少家 asks for a count: used to rank sentences with a counted figure first (not to
    reject others — counts are written in many ways: 4.2万户, 四个园区, 第二个)."""
    return ("个", "家", "户", "项", "座", "台", "条") if re.search(r"(多少|几)(个|家|户|项|座|台|条)", q.norm) else None


def _has_unit(sf: str, family: tuple[str, ...]) -> bool:
    return any(re.search(r"[\d一二三四五六七八九十两]\s*" + re.escape(u), sf) for u in family)


def _unit_ok(tail: str, family: tuple[str, ...] | None) -> bool:
    if family is None:
        return True
    m = re.match(r"[^，,；;。：:\d]{0,14}?[\d.,]+\s*([^\d\s，,；;。]{0,4})", tail)
    return bool(m) and m.group(1).startswith(family)


def _figure_follows_term(sentence: str, q: Query, scorer: SentenceScorer) -> bool:
    """Some rare question term is followed by a figure in the same clause ("规划面积53平方公里"),
    so the number belongs to what is asked and not to a neighbouring item of a list."""
    sf = re.sub(r"(19|20)\d{2}年", "年", match_form(sentence))
    terms = scorer.terms(q)
    if not terms:
        return True
    ranked = sorted(terms, key=lambda b: -terms[b])
    top = [b for b in ranked if b in sf][:6]
    family = _asked_family(q)
    for b in top:
        start = 0
        while (i := sf.find(b, start)) >= 0:
            start = i + 1
            if _NUM_AFTER.match(sf, i + len(b)) and _unit_ok(sf[i + len(b):], family):
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
        if _HAS_NUM.search(re.sub(r"(19|20)\d{2}年", "", sf[lo + 1:hi])):
            return False  # the list's own clause carries a figure
    return True


def _context(s: Scored) -> str:
    """The chunk text before a sentence (where a paragraph states its year)."""
    cf = match_form(s.chunk.text)
    return cf[: max(0, cf.find(match_form(s.sentence)))]


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
        v = sum(w for b, w in terms.items() if b in _bigrams(c)) / total
        if q.wants_number and _HAS_NUM.search(re.sub(r"(19|20)\d{2}年", "", c)):
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


def _defining_chunks(q: Query, hits: list[Chunk], scorer: SentenceScorer) -> list[Chunk]:
    """Chunks outside the hits that define the quoted term a question asks about: a definition
    (often a footnote) need not repeat the term's words, so retrieval by the term misses it."""
    term = defined_term(q.norm)
    if term is None:
        return []
    seen = {c.id for c in hits}
    return [c for c in scorer.text_chunks if c.id not in seen and (not q.doc_ids or c.doc_id in q.doc_ids)
            and any(defines(f, term) for _, f, _ in scorer.sentences(c))][:3]


def candidate_features(q: Query, best: Scored, scorer: SentenceScorer, corpus: Corpus) -> tuple[Features, Any]:
    """The abstention features of the best sentence (see assistant/abstention.py) and, for a
    figure question, the binding of the figure to the asked measure (its clause, if any)."""
    bf = match_form(best.sentence)
    kind = asked_type(q.norm)
    named = _names_entity_and_measure(q, best)
    binding = bind(q.norm, _squash(best.sentence), match_form(best.chunk.section), q.expanded) \
        if q.wants_number else None
    f = Features(measure=_measure_match(q, best, scorer, named, binding), time=best.time,
                 scope=1.0, answer_type=1.0, retrieval=retrieval_feature(best.rank))
    if q.parks and not any(a in bf or a in match_form(best.chunk.section) for g in q.parks for a in g.aliases):
        f.scope = SCOPE_OTHER_PARK
    elif _other_place(q, best, corpus):
        f.scope = SCOPE_OTHER_PLACE
    if kind is not None:
        f.answer_type = 1.0 if has_type(bf, kind) else TYPE_MISSING_SHAPE
    elif q.wants_number and not _HAS_NUM.search(re.sub(r"(19|20)\d{2}年", "", bf)):
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
BINDING_MISSING = 0.2
FIGURE_OF_OTHER_TERM = 0.2  # no figure follows a rare question term: the figures belong to other terms
SUBJECT_ONLY_LISTED = 0.2  # the subject appears only as an item of a list whose clause has no figure  # `measure` when no clause states the asked measure in the asked unit
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
    if q.wants_number and respectively(_squash(best.sentence), q.norm) is not None:
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


def _best_candidate(q: Query, ranked: list[Scored], scorer: SentenceScorer, corpus: Corpus) -> tuple:
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


def answer_extractive(q: Query, hits: list[Chunk], scorer: SentenceScorer, corpus: Corpus) -> Answer:
    hits = hits + _defining_chunks(q, hits, scorer)
    ranked = score_sentences(q, hits, scorer, corpus)
    if not ranked:
        return abstain(q, hits, "检索到的段落中没有可用的句子")
    best, feats, binding, decision = _best_candidate(q, ranked, scorer, corpus)
    term = defined_term(q.norm)
    if not decision.answer:
        return abstain(q, hits, decision.why, decision.score)
    ev = corpus.chunk_evidence(best.chunk, best.sentence)
    if ev is None:
        return abstain(q, hits, "无法在原文中定位引用")
    if not q.wants_number:
        best = _with_enumeration(best, scorer)
        ev = corpus.chunk_evidence(best.chunk, best.sentence) or ev
    # the clause holding the asked figure (the sentence stays the quote)
    first = binding.clause if binding is not None and binding.clause else key_clause(best.sentence, q, scorer)
    if q.wants_number:
        first = figure_clause(best.sentence, q, scorer, first)
        if paired := respectively(_squash(best.sentence), q.norm):
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
                second = f"{_squash(s.sentence)}[{len(evidence)}]"
                if not q.wants_number and len(lines[0]) + len(second) <= 200:
                    lines[0] = lines[0] + second
                else:
                    lines.append(second)
            break
    evidence += _table_rows_stating(corpus, best.chunk.doc_id, lines[0])
    if len(_squash(best.sentence)) > len(lines[0]) - 3:
        lines.append(f"原文：{_squash(best.sentence)}[1]")
    return Answer(lines, evidence, mode="extractive", confidence=max(0.0, min(1.0, best.score)),
                  abstention_score=decision.score)


# the question's predicate right before what it asks: 核减了多少, 提高了多少, 高出多少个百分点
_PREDICATE = re.compile(r"([\u4e00-\u9fff]{2})(?:了|要|将|能|可)?(?:多少|几)")
_NOT_PREDICATE = re.compile(r"[有是为到达在的共现约要将]")  # 有多少 / 达到多少: no predicate of its own
_FIG_CLAUSES = re.compile(r"[，,；;。：:、]")
_ASKED_UNIT = re.compile(r"(?:多少|几)(个百分点|[个万亿千百]?[\u4e00-\u9fff%]{1,3}?)(?:[？?，,。的]|$)")


def figure_clause(sentence: str, q: Query, scorer: SentenceScorer, current: str) -> str:
    """Among the clauses of the sentence that hold a figure, the one that answers: it holds the
    question's predicate (核减, 提高, 高出≈高于) and its rarest words, and the asked unit (个百分点)
    after its figure. `current` (the measure-bound clause) is kept unless another clause is better."""
    s = _squash(sentence)
    clauses = [c for c in _FIG_CLAUSES.split(s) if c and _HAS_NUM.search(re.sub(r"(19|20)\d{2}年", "", c))]
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

    if pred is None or states_predicate(current):
        return current  # the bound clause already says what is asked
    best = max(clauses, key=value)
    return best if states_predicate(best) and len(best) >= 4 else current


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


_OPENS_LIST = re.compile(r"分别是|分别为|包括|即|主要有|[：:]")


def _with_enumeration(best: Scored, scorer: SentenceScorer, limit: int = 200) -> Scored:
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
        if len(_squash(joined + nxt)) > limit or _HEADING.match(nxt):
            break
        joined += nxt
        if not re.search(r"[；;]$", nxt.rstrip()):
            break
    return Scored(best.score, best.coverage, joined, best.chunk, best.rank, best.time)


def _only_rates(sf: str) -> bool:
    """Every figure of the sentence (years aside) is a percentage."""
    body = re.sub(r"(19|20)\d{2}年", "", sf)
    figs = re.findall(r"\d+(?:\.\d+)?\s*(%|个百分点)?", body)
    return bool(figs) and all(u for u in figs)


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
        name = _bigrams(match_form(r.name))
        if name and len(name & _bigrams(lf)) / len(name) >= 0.6:
            out.append(corpus.row_evidence(ref))
    return out[:3]


def abstain(q: Query, hits: list[Chunk], why: str, score: float = 0.0) -> Answer:
    lines = [f"文档中未找到该问题的答案（{why}）。"]
    sections = list(dict.fromkeys(f"{c.doc_title}：{c.section}（第{c.page_start}页）" for c in hits[:3] if c.section))
    if sections:
        lines.append("最接近的章节：" + "；".join(sections))
    return Answer(lines, [], abstained=True, mode="extractive", confidence=0.0, abstention_score=score)


def _squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")
