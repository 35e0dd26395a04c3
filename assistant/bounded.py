"""A dict-like cache with a fixed number of entries, least recently used out first.

The assistant memoises per-chunk and per-word work (sentence splits, matching forms, document
frequencies) for the life of the process. An unbounded dict grows with every question until it
holds the whole corpus several times over (2.2 GB at 100× the bundled corpus); a bounded one keeps
the hot part — a question reads a few hundred chunks of a few documents.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    """`get` / `[key] = value` / `in` / `len` of a dict, holding at most `size` entries.

    Thread-safe for the gradio server's worker threads (one lock; entries are values computed
    outside it, so two threads may compute the same entry once each, never corrupt the order)."""

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("an LRU cache holds at least one entry")
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            try:
                self._data.move_to_end(key)
            except KeyError:
                return default
            return self._data[key]

    def __setitem__(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
