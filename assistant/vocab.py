"""The vocabulary the question analyser learns from the indexed records: which documents a
question names, which parks, which places it knows.

`Vocabulary` holds what is learned once per index and answers the analyser's questions about it;
how each part is learned lives with its domain — document scopes (`doc_scopes`), park names and
their alias groups (`park_names`), places no document covers (`unknown_places`) and the general
abbreviations of government Chinese (`abbreviations`). Nothing here lists the rows of a particular
document.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

from assistant import park_names, unknown_places
from assistant.abbreviations import SYNONYMS, expand_synonyms
from assistant.doc_scopes import DocScope, learn_scopes
from assistant.numbers import match_form
from assistant.park_names import ParkGroup, learn_parks, learn_places, park_core
from index.tokens import Tokenizer, plain_tokenizer

# importable from here, where the analyser, the row index, the scorers and the tests import them
__all__ = ["SYNONYMS", "DocScope", "ParkGroup", "Vocabulary", "expand_synonyms", "learn_places", "park_core"]


# what joins two names the question asks about side by side
_JOINED = re.compile(r"(?:和|与|及|以及|跟|同|、)")


class Vocabulary:
    """What the question analyser knows about the indexed documents."""

    def __init__(self, documents: list[dict[str, Any]], texts: dict[str, str], park_names: list[str],
                 indicator_names: list[str], project_names: list[str], categories: list[str],
                 tokenizer: Tokenizer | None = None):
        self.tokenizer = tokenizer or plain_tokenizer()
        self.documents = documents
        self.scopes = learn_scopes(documents, texts)
        self.places = learn_places([d.get("title") or "" for d in documents], park_names,
                                   [match_form(t) for t in texts.values()])
        self.parks = learn_parks(park_names, texts, self.places)
        self.indicator_names = sorted(set(indicator_names))
        self.project_names = sorted(set(project_names))
        self.categories = sorted({c for c in categories if c})
        self.corpus_form = {d: match_form(t) for d, t in texts.items()}
        self._places_seen: dict[str, bool] = {}
        self.tokenizer.posseg("")  # load the tagger now, not on the first question

    # -- documents -------------------------------------------------------------------------
    def scope_of(self, q: str) -> list[str]:
        """Doc ids a question names through title words (某县/十四五 → the 某县 plan).  When some of
        them are named by a word the others' titles lack (某县社会事业专项规划: 社会事业), only those:
        the word all of them share (某县) does not tell them apart."""
        named = {s.doc_id: {k for k in s.keywords if k in q} for s in self.scopes}
        named = {d: ks for d, ks in named.items() if ks}
        common = set.intersection(*named.values()) if named else set()
        distinct = {d for d, ks in named.items() if ks - common}
        if distinct and len(named) > 1:
            named = {d: ks for d, ks in named.items() if d in distinct}
        return sorted(named, key=lambda d: -max(len(k) for k in named[d]))

    def named_apart(self, q: str, doc_ids: list[str]) -> bool:
        """Whether the question names two of `doc_ids` side by side (某县和示范区, 甲市、乙市): a word
        of each, neither in the other's title words, joined by a conjunction.  One word several
        titles share (某市) or a place written with its city (某市某区) names one scope, not two."""
        named = [{k for k in s.keywords if k in q} for s in self.scopes if s.doc_id in doc_ids]
        for a, b in itertools.permutations(named, 2):
            for x in a - b:
                for m in re.finditer(re.escape(x), q):
                    joined = _JOINED.match(q, m.end())
                    if joined and any(q.startswith(y, joined.end()) for y in b - a):
                        return True
        return False

    def scope_words_in(self, q: str) -> list[str]:
        """The title words through which a question names a document (longest first)."""
        return sorted({k for s in self.scopes for k in s.keywords if k in q}, key=lambda k: (-len(k), k))

    def is_place(self, word: str) -> bool:
        """The documents write `word` as a place (某市, 某省, 某县, 某区) or name a document after it."""
        got = self._places_seen.get(word)
        if got is None:
            rx = re.compile(re.escape(word) + r"(?:市|省|县|区)")
            got = any(word in k for s in self.scopes for k in s.keywords if len(k) >= 2) or \
                any(rx.search(t) for t in self.corpus_form.values())
            self._places_seen[word] = got
        return got

    def distinctive_doc(self, term: str) -> str | None:
        """The only document whose text contains `term` (≥2 times), if exactly one does."""
        found = [d for d, t in self.corpus_form.items() if t.count(term) >= 2]
        return found[0] if len(found) == 1 else None

    # -- parks -----------------------------------------------------------------------------
    def parks_in(self, q: str) -> list[tuple[ParkGroup, str]]:
        """Park groups named in the question, longest alias first, each span used once."""
        return park_names.parks_in(self.parks, q)

    def compound_park(self, q: str) -> str | None:
        """Two park aliases run together into one name (某岛综合保税区): a place that is neither."""
        return park_names.compound_park(self.parks, q)

    def park_group(self, name: str | None) -> ParkGroup | None:
        return park_names.park_group(self.parks, name)

    # -- places no document covers ---------------------------------------------------------
    def mentions_unknown_place(self, q: str) -> str | None:
        """A place/park-like name in the question that no indexed document contains (外市市, 某某园区)."""
        return unknown_places.mentions_unknown_place(self, q)

    @functools.cached_property
    def _entity_name_set(self) -> frozenset[str]:
        return frozenset(self.project_names) | frozenset(n for g in self.parks for n in g.names)

    def entity_names(self) -> frozenset[str]:
        """Project and park names (a place word inside one is part of a name, not a place)."""
        return self._entity_name_set
