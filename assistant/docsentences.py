"""A document cut into sentences with the term statistics the policy span scorer needs
(assistant/policy.py), built once per document — at ingest, where it is stored in the index
(index/derived.py), or at query time for an index without it — and kept per open index.

`DocSentences.build` is the definition; `encode`/`decode` store and restore exactly what it builds
(the precomputed sentences equal a query-time build: tests/assistant/test_stored_sentences.py).
Reading a stored document costs ~1 ms against ~30 ms to build it (jieba over every sentence).
"""

from __future__ import annotations

import functools
import inspect
import math
import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.bounded import LRUCache
from assistant.content_words import bigrams, words
from assistant.numbers import match_form
from assistant.spans import Unit, sentences
from index import derived

_SENTENCE_END = re.compile(r"[。；！？.;!?]$")


@dataclass
class DocSentences:
    """One document cut into sentences, with the term statistics the scorer needs (built once per
    document: the sentence scorer then works on arrays, a few milliseconds per document)."""

    doc_id: str
    text: str
    units: list[Unit]
    forms: list[str]
    postings: dict[str, np.ndarray]  # term (jieba word or bigram) -> indices of the sentences holding it
    pairs: list[str]  # previous sentence + sentence, matching forms
    lengths: np.ndarray
    heading: np.ndarray  # bool: a title or heading line (no sentence-final punctuation, announces nothing)
    df: Counter[str]  # sentences holding each term (as a word, plus as a bigram)

    @classmethod
    def build(cls, doc_id: str, text: str) -> DocSentences:
        units = sentences(text)
        forms = [match_form(u.text) for u in units]
        where: dict[str, list[int]] = {}
        df: Counter[str] = Counter()
        for i, f in enumerate(forms):
            ws, bs = set(_sentence_words(f)), set(bigrams(f))
            df.update(ws)
            df.update(bs)  # a two-character word counts twice: longer words weigh relatively more
            for t in ws | bs:
                where.setdefault(t, []).append(i)
        postings = {t: np.array(ix, dtype=np.int64) for t, ix in where.items()}
        pairs = [(forms[i - 1] if i else "") + f for i, f in enumerate(forms)]
        heading = np.array([not _SENTENCE_END.search(u.text) and not u.announces for u in units], dtype=bool)
        return cls(doc_id, text, units, forms, postings, pairs,
                   np.array([max(1, len(f)) for f in forms], dtype=np.float64), heading, df)

    @functools.cached_property
    def form(self) -> str:
        """The whole document's matching form (its sentences' forms joined)."""
        return "".join(self.forms)

    def idf(self, term: str) -> float:
        n, df = len(self.units), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def encode(self) -> bytes:
        """What ingest stores (index/derived.py): the sentences' offsets, series, paragraphs and
        matching forms, and the term table (terms, df, postings) as flat arrays."""
        terms = list(self.postings)
        post = [np.asarray(self.postings[t], dtype=np.int64) for t in terms]
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in post], out=offsets[1:])
        return derived.pack({  # int32: half the bytes of the build's int64 (offsets < 2**31)
            "start": np.array([u.start for u in self.units], dtype=np.int32),
            "end": np.array([u.end for u in self.units], dtype=np.int32),
            "para": np.array([u.para for u in self.units], dtype=np.int32),
            "series": "\n".join(u.series or "" for u in self.units),
            "forms": "".join(self.forms),
            "form_len": np.array([len(f) for f in self.forms], dtype=np.int32),
            "heading": self.heading.astype(np.bool_),
            "terms": "\n".join(terms),
            "df": np.array([self.df[t] for t in terms], dtype=np.int32),
            "offsets": offsets.astype(np.int32),
            "postings": (np.concatenate(post) if post else np.zeros(0, dtype=np.int64)).astype(np.int32),
        })

    @classmethod
    def decode(cls, doc_id: str, text: str, blob: bytes) -> DocSentences:
        """The DocSentences `encode` stored for `text` (equal to `build(doc_id, text)`)."""
        p = derived.unpack(blob)
        starts, ends, paras = p["start"].tolist(), p["end"].tolist(), p["para"].tolist()
        series = p["series"].split("\n") if starts else []
        units = [Unit(a, b, text[a:b], s or None, g) for a, b, s, g in zip(starts, ends, series, paras, strict=True)]
        forms, pos, joined = [], 0, p["forms"]
        for n in p["form_len"].tolist():
            forms.append(joined[pos: pos + n])
            pos += n
        terms = p["terms"].split("\n") if len(p["df"]) else []
        df: Counter[str] = Counter()
        dict.update(df, zip(terms, p["df"].tolist(), strict=True))
        pairs = [(forms[i - 1] if i else "") + f for i, f in enumerate(forms)]
        return cls(doc_id, text, units, forms, _Postings(terms, p["offsets"], p["postings"]), pairs,
                   np.array([max(1, len(f)) for f in forms], dtype=np.float64), p["heading"].copy(), df)


# Sentences whose jieba words are kept while building: a corpus repeats sentences (boilerplate,
# quoted policy text, the recombined sections of bench/scale.py's 100× corpus), and jieba is most of
# a build (~1 KB an entry: ~40 MB when full, only in a process that builds — ingest, or a reader of
# an index without stored sentences).
WORDS_CACHE = 32768
_words_cache: LRUCache[str, frozenset[str]] = LRUCache(WORDS_CACHE)


def _sentence_words(form: str) -> frozenset[str]:
    got = _words_cache.get(form)
    if got is None:
        got = _words_cache[form] = frozenset(words(form))
    return got


class _Postings(Mapping[str, np.ndarray]):
    """term -> indices of the sentences holding it, read from the stored flat arrays on demand (a
    question looks up a few dozen terms of a document's thousands)."""

    def __init__(self, terms: list[str], offsets: np.ndarray, flat: np.ndarray):
        self._at = dict(zip(terms, range(len(terms)), strict=True))
        self._offsets = offsets
        self._flat = flat

    def get(self, term: str, default: Any = None) -> Any:
        i = self._at.get(term)
        return default if i is None else self._flat[self._offsets[i]: self._offsets[i + 1]].astype(np.int64)

    def __getitem__(self, term: str) -> np.ndarray:
        got = self.get(term)
        if got is None:
            raise KeyError(term)
        return got

    def __contains__(self, term: object) -> bool:
        return term in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


# sentence statistics of this many recently used documents are kept per open index
DOC_CACHE_SIZE = 256
# per open index (documents do not change while an index is open: a re-ingest opens a new Index);
# weak, so an index the process let go of (a reload after an upload) is not kept alive here
_CACHES: weakref.WeakKeyDictionary[Any, LRUCache[str, DocSentences]] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def doc_sentences(index: Any, doc_id: str) -> DocSentences:
    """The document's sentence statistics: kept in the index's bounded cache, else read from what
    ingest stored (a few ms), else built (an index from before the table, or rows written by
    other sentence code: ~30 ms per document)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(index)
        if cache is None:
            cache = _CACHES[index] = LRUCache(DOC_CACHE_SIZE)
    got = cache.get(doc_id)
    if got is None:
        records = index.records
        text = records.document_text(doc_id) or ""
        stored = getattr(records, "derived", None)
        blob = stored(doc_id, SENTENCES, sentences_version()) if stored else None
        got = DocSentences.decode(doc_id, text, blob) if blob is not None else DocSentences.build(doc_id, text)
        cache[doc_id] = got
    return got


# The stored sentence statistics (index/derived.py) are valid for the code that built them: the
# version hashes the modules `DocSentences.build` depends on and the class itself, so a change to
# segmentation, matching forms or words makes readers build at query time until the next ingest.
SENTENCES = "policy.sentences"
_SENTENCES_FORMAT = "1"
_version: str | None = None


def sentences_version() -> str:
    global _version
    if _version is None:
        import jieba

        here = Path(__file__).resolve().parent
        files = [here / "spans.py", here / "content_words.py", here / "numbers.py",
                 Path(derived.__file__).resolve().parent / "tokens.py"]
        extra = "|".join((_SENTENCES_FORMAT, inspect.getsource(DocSentences), _SENTENCE_END.pattern,
                          str(getattr(jieba, "__version__", ""))))
        _version = derived.source_version(*files, extra=extra)
    return _version


def _derive_sentences(doc_id: str, text: str) -> bytes:
    return DocSentences.build(doc_id, text).encode()


derived.register(derived.Derivation(SENTENCES, sentences_version(), _derive_sentences))
