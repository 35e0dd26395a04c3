"""Which indicator rows can match a question, found through an index built once per corpus.

`indicators.best_indicators` scores a row by the character bigrams its name (as printed and with
abbreviations written out) shares with the question, and by the share of the question's content
bigrams the name or its group explains. A row that shares no bigram with the question, its
expanded form or its content scores 0 on both, which is below every cut-off even after the
table-hint and year bonuses — so only rows reached through a shared bigram are scored. With an
empty content every row's content share is 1 (nothing left to explain) and every row in scope is
a candidate, as before. The result is the full scan's, in the same order, at the cost of the rows
the question's bigrams reach.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

from assistant.numbers import match_form
from assistant.rowtext import bigrams
from assistant.vocab import expand_synonyms

if TYPE_CHECKING:
    from assistant.corpus import Corpus, RowRef
    from assistant.query import Query


@functools.lru_cache(maxsize=4096)
def name_grams(name: str, group: str | None) -> tuple[list[frozenset[str]], frozenset[str]]:
    """Bigrams of an indicator name as printed and with abbreviations written out; its group's."""
    names = {match_form(name), expand_synonyms(match_form(name))}
    return [bigrams(n) for n in names], bigrams(match_form(group or ""))


class RowIndex:
    """Bigram → indicator rows of one corpus (by name and by group), rows per document, and the
    document-naming words in the order the question analysis strips them."""

    def __init__(self, corpus: Corpus):
        self.rows: list[RowRef] = list(corpus.indicators)
        self.by_name: dict[str, list[int]] = {}
        self.by_group: dict[str, list[int]] = {}
        self.by_doc: dict[str, list[int]] = {}
        for i, ref in enumerate(self.rows):
            # uncached: name_grams' cache is for the rows a question scores, not all of them
            names = {match_form(ref.row.name), expand_synonyms(match_form(ref.row.name))}
            for b in set().union(*(bigrams.__wrapped__(n) for n in names)):
                self.by_name.setdefault(b, []).append(i)
            for b in bigrams.__wrapped__(match_form(ref.row.group or "")):
                self.by_group.setdefault(b, []).append(i)
            self.by_doc.setdefault(ref.row.doc_id, []).append(i)
        # each scope's keywords longest first, scopes in vocabulary order (the replacement order)
        self.scope_words = [k for sc in corpus.vocab.scopes for k in sorted(sc.keywords, key=lambda k: (-len(k), k))]
        self.scope_word_set = set(self.scope_words)
        self._longest_scope_word = max(map(len, self.scope_words), default=0)

    def candidates(self, q: Query, qb: tuple[frozenset[str], frozenset[str]], cb: frozenset[str],
                   content_weight: float) -> list[RowRef]:
        """The rows that can score above zero for a question, in corpus order, within the
        documents the question names (rows of other documents are never answers)."""
        if content_weight <= 0:
            hit: Iterable[int] = self._in_scope(q)
        else:
            found: set[int] = set()
            for b in qb[0] | qb[1] | cb:
                found.update(self.by_name.get(b, ()))
            for b in cb:
                found.update(self.by_group.get(b, ()))
            if q.doc_ids:
                found &= set(self._in_scope(q))
            hit = found
        return [self.rows[i] for i in sorted(hit)]

    def scope_words_in(self, text: str) -> set[str]:
        """The document-naming words `text` contains (its substrings looked up: thousands of
        documents name themselves with thousands of words, a question has a few dozen characters)."""
        words, top = self.scope_word_set, self._longest_scope_word
        found = {text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + top) + 1)
                 if text[i:j] in words}
        return found | ({""} & words)

    def _in_scope(self, q: Query) -> list[int]:
        if not q.doc_ids:
            return list(range(len(self.rows)))
        return sorted(i for d in set(q.doc_ids) for i in self.by_doc.get(d, ()))


_INDEXES: weakref.WeakKeyDictionary[Corpus, RowIndex] = weakref.WeakKeyDictionary()


def row_index(corpus: Corpus) -> RowIndex:
    """The corpus's row index, built on first use (a corpus's rows never change)."""
    got = _INDEXES.get(corpus)
    if got is None:
        got = _INDEXES[corpus] = RowIndex(corpus)
    return got
