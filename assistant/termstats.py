"""Document frequencies over the text chunks, computed once per index load.

The extractive answerer weighs a question's words by how many text chunks contain them
(`word_df`). Counting that by scanning every chunk per word cost 17 % of an `ask` at 100× the
bundled corpus. Here every chunk's raw character bigrams go into a compact posting list once (numpy
arrays, ~4 bytes per distinct bigram of a chunk), so a word's count only checks the chunks that hold
all its bigrams — the same count as the scan, since a chunk containing a word contains each of its
bigrams.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from assistant.bounded import LRUCache
from assistant.numbers import match_form
from assistant.rowtext import NOT_BIGRAM_CHAR as _STRIP

WORD_DF_CACHE = 50_000  # words whose chunk count is remembered (~100 bytes each)
_CODE = 0x110000  # one more than the largest code point: a bigram is a * _CODE + b
_CHUNK_BITS = 22  # chunk numbers below 4 M fit beside a bigram code in one int64
_BLOCK = 2048  # chunks per vectorised build step (bounds the build's temporary memory)
_NARROW_ENOUGH = 64  # stop intersecting posting lists once this few chunks remain to check


class TextChunkStats:
    """Bigram document frequencies (`df`, over the bigrams `rowtext.bigrams` makes) and exact word
    document frequencies (`word_df`, substring containment) over the matching forms of texts."""

    def __init__(self, texts: list[str]):
        # uncached forms: chunk texts would flush the small-string caches of match_form/bigrams
        self.forms = [match_form.__wrapped__(t) for t in texts]
        self.n = max(1, len(texts))
        if len(self.forms) >= 1 << _CHUNK_BITS:
            raise ValueError("too many text chunks for the bigram posting lists")
        self.df = _bigram_df(self.forms)
        self._codes, self._starts, self._postings = _postings(self.forms)
        self._word_df: LRUCache[str, int] = LRUCache(WORD_DF_CACHE)

    def word_df(self, word: str) -> int:
        """How many texts contain `word`."""
        got = self._word_df.get(word)
        if got is None:
            got = self._word_df[word] = self._count(word)
        return got

    def _count(self, word: str) -> int:
        if len(word) < 2:
            return sum(word in f for f in self.forms)
        lists = []
        for code in set(_bigram_codes(word).tolist()):
            i = int(np.searchsorted(self._codes, code))
            if i >= len(self._codes) or self._codes[i] != code:
                return 0  # a bigram of the word occurs in no text
            lists.append(self._postings[self._starts[i]:self._starts[i + 1]])
        lists.sort(key=len)
        cand = lists[0]
        for other in lists[1:]:
            if len(cand) <= _NARROW_ENOUGH:
                break
            cand = np.intersect1d(cand, other, assume_unique=True)
        forms = self.forms
        return sum(word in forms[i] for i in cand.tolist())


def _bigram_codes(form: str) -> np.ndarray:
    cps = np.frombuffer(form.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    return cps[:-1] * _CODE + cps[1:]


def _distinct(a: np.ndarray) -> np.ndarray:
    """The sorted distinct values (np.unique hashes in numpy 2, 10× slower on these arrays)."""
    a.sort()
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


def _starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts, and the end."""
    return np.concatenate(([0], np.flatnonzero(sorted_codes[1:] != sorted_codes[:-1]) + 1, [len(sorted_codes)]))


def _chunk_keys(forms: list[str]) -> list[np.ndarray]:
    """Per block of chunks: the distinct (bigram code << _CHUNK_BITS | chunk number), sorted."""
    keys = []
    for lo in range(0, len(forms), _BLOCK):
        parts = [(_bigram_codes(f) << _CHUNK_BITS) | i for i, f in enumerate(forms[lo:lo + _BLOCK], lo) if len(f) > 1]
        if parts:
            keys.append(_distinct(np.concatenate(parts)))
    return keys


def _bigram_df(forms: list[str]) -> Counter[str]:
    """In how many forms each `rowtext.bigrams` bigram occurs (punctuation dropped first; a form of
    one such character counts that character, as `bigrams` does)."""
    stripped = [_STRIP.sub("", f) for f in forms]
    codes, counts = [], []
    for keys in _chunk_keys(stripped):
        keys >>= _CHUNK_BITS
        st = _starts(keys)
        codes.append(keys[st[:-1]])
        counts.append(np.diff(st))
    df: Counter[str] = Counter(s for s in stripped if len(s) == 1)
    if codes:
        allc, alln = np.concatenate(codes), np.concatenate(counts)
        order = np.argsort(allc, kind="stable")
        allc, alln = allc[order], alln[order]
        st = _starts(allc)
        for c, n in zip(allc[st[:-1]].tolist(), np.add.reduceat(alln, st[:-1]).tolist(), strict=True):
            df[chr(c // _CODE) + chr(c % _CODE)] += n
    return df


def _postings(forms: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct bigram codes sorted, start of each code's list, chunk numbers): chunk numbers of
    code k are postings[starts[k]:starts[k + 1]], ascending."""
    keys = _chunk_keys(forms)
    if not keys:
        return np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int32)
    allk = np.concatenate(keys)
    del keys
    allk.sort()
    postings = (allk & ((1 << _CHUNK_BITS) - 1)).astype(np.int32)
    allk >>= _CHUNK_BITS
    starts = _starts(allk)
    return allk[starts[:-1]], starts, postings
