"""Sentences of the text chunks and the question's terms, weighted by rarity in the corpus.

`SentenceScorer` is built once per Assistant: the bigram document frequencies of the text chunks,
each chunk's sentence split (cached) and each question's content bigrams as asked, with
abbreviations written out and in paraphrased forms (cached). Everything that ranks, checks or
cuts an extractive answer reads sentences and terms from here, so they are split and weighted one
way only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.abbreviations import expand_synonyms
from assistant.bounded import LRUCache
from assistant.numbers import match_form
from assistant.paraphrase import variants
from assistant.query import Query
from assistant.termstats import TextChunkStats
from index.tokens import Tokenizer, plain_tokenizer
from ingest.model import Chunk

SENTENCE_CACHE_CHUNKS = 4096  # chunks whose sentence split is kept (a question reads ~100-300)
TERM_CACHE_QUESTIONS = 1024  # questions whose content bigrams are kept


_SENT_END = re.compile(r"(?<=[。！？；!?;])|\n")


# a figure: digits, or a Chinese count (四个园区, 七大产业, 两大主力产业)
HAS_FIGURE = re.compile(r"\d|[一二三四五六七八九十两百千]+(个|大|家|项|条|类|种|次|批|台|座)")
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
            got = [(s, f, bigrams(f) | bigrams(expand_synonyms(f))) for s in split_sentences(chunk.text)
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
                    bgs |= bigrams(piece)
            # bigrams the corpus never contains are the question's own phrasing (哪两, 指的)
            terms = {b: self.idf(b) for b in bgs if self.df.get(b, 0) > 0}
            for w in latin:
                if (df := self.word_df(w)) > 0:
                    terms[w] = math.log((self.n + 1) / (df + 0.5))
            # a text form of a paraphrased word counts whole (距 for 距离), as much as a rare bigram
            for f in forms:
                if f in text:
                    terms[f] = max([self.idf(b) for b in bigrams(f)] + [math.log(self.n + 1)])
            out.append(terms)
        got = self._terms[q.norm] = [t for t in out if t] or [{}]
        return got

    def terms(self, q: Query) -> dict[str, float]:
        merged: dict[str, float] = {}
        for t in self.term_sets(q)[:2]:  # paraphrase variants help find a sentence, not cut it
            merged.update(t)
        return merged


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&.]*")


def bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9&.%]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


HEADING = re.compile(r"^\s*([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、．]|[①-⑳]|第[一二三四五六七八九十]+[章节])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a chunk; heading lines (（一）做大做强三大基础产业) are context, not answers."""
    out = []
    for s in _SENT_END.split(text):
        s = (s or "").strip()
        if len(s) < 4 or (HEADING.match(s) and len(s) <= 40 and not re.search(r"[。；;]$", s)):
            continue
        out.append(s)
    return out
