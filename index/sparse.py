"""BM25 over jieba tokens with bm25s (built directly: llama-index's BM25Retriever ignores custom tokenizers).

The index is rebuilt from every chunk on each ingest — a few hundred ms for thousands of chunks — so
removal needs no bookkeeping and the domain dictionary always matches the tokens.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index.tokens import DEFAULT_MODE, expand_query, tokenize


class SparseIndex:
    def __init__(self, retriever, ids: list[str], mode: str = DEFAULT_MODE) -> None:
        self._bm25 = retriever
        self.ids = ids
        self.mode = mode

    @classmethod
    def build(cls, ids: list[str], texts: list[str], mode: str = DEFAULT_MODE) -> SparseIndex:
        import bm25s

        retriever = bm25s.BM25()
        if ids:
            corpus = [tokenize(t, mode) or [""] for t in texts]
            retriever.index(corpus, show_progress=False)
        return cls(retriever if ids else None, list(ids), mode)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)
        (directory / "ids.json").write_text(
            json.dumps({"mode": self.mode, "ids": self.ids}, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> SparseIndex:
        import bm25s

        meta = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        retriever = bm25s.BM25.load(str(directory), show_progress=False) if meta["ids"] else None
        return cls(retriever, meta["ids"], meta["mode"])

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (position i = self.ids[i]); zeros if no query token is known."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in tokenize(expand_query(query), self.mode) if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        s = self.scores(query)
        if mask is not None and len(s):
            s = np.where(mask, s, 0.0)
        order = np.argsort(-s, kind="stable")[:k]
        return [(self.ids[i], float(s[i])) for i in order if s[i] > 0]
