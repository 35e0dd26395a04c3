"""BM25 over jieba tokens with bm25s (built directly: llama-index's BM25Retriever ignores custom tokenizers).

The index is rebuilt from every chunk on each ingest — a few hundred ms for thousands of chunks — so
removal needs no bookkeeping and the domain dictionary always matches the tokens. Each index
tokenizes with its own `Tokenizer` (index/tokens.py), built from the domain words it was built with.

Searching does not import bm25s (it pulls in scipy: ~0.5 s of a cold `planqa ask`): bm25s stores
the precomputed per-token BM25 weights as CSC arrays, and a query's score is the sum of its tokens'
columns, which `_Scorer` computes with numpy alone (the "lucene" variant has no non-occurrence term).
"""

from __future__ import annotations

import json
import shutil
from array import array
from pathlib import Path

import numpy as np

from index.tokens import DEFAULT_MODE, Tokenizer, TokenMemo, expand_query, plain_tokenizer

VOCAB_FILE = "vocab.index.json"  # bm25s's name for a saved index's vocabulary


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, highest first, ties in position order: what a stable
    argsort of every score gives, from a partition and a sort of the few candidates instead."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(scores) <= 4 * k:
        return np.argsort(-scores, kind="stable")[:k]
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]  # the k-th highest value
    cand = np.flatnonzero(scores >= kth)  # every tie of it too, in position order
    return cand[np.argsort(-scores[cand], kind="stable")][:k]


class _Scorer:
    """Query-time view of a saved bm25s index (vocab + CSC weight arrays). `vocab` shares an already
    loaded vocabulary (the document field's columns are the chunk index's token ids)."""

    def __init__(self, directory: Path, vocab: dict[str, int] | None = None) -> None:
        self.vocab_dict: dict[str, int] = vocab if vocab is not None else json.loads(
            (directory / VOCAB_FILE).read_text(encoding="utf-8"))
        self._data = np.load(directory / "data.csc.index.npy")
        self._indices = np.load(directory / "indices.csc.index.npy")
        self._indptr = np.load(directory / "indptr.csc.index.npy")
        params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method", "lucene") not in ("lucene", "robertson", "atire"):
            raise ValueError(f"unsupported BM25 variant {params['method']!r}")
        self._n = int(params["num_docs"])

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self._n, dtype=np.float32)
        for tid in (self.vocab_dict[t] for t in tokens):
            lo, hi = self._indptr[tid], self._indptr[tid + 1]
            # a token's column lists each chunk once, so plain fancy-index addition (no np.add.at,
            # ~10× slower) adds every weight exactly once
            scores[self._indices[lo:hi]] += self._data[lo:hi]
        return scores


class SparseIndex:
    def __init__(self, retriever, ids: list[str], mode: str = DEFAULT_MODE,
                 tokenizer: Tokenizer | None = None, documents: DocumentField | None = None) -> None:
        self._bm25 = retriever  # a bm25s.BM25 after build, a _Scorer after load
        self.ids = ids
        self.mode = mode
        # the index's own tokenizer (its domain words); never the process-wide jieba
        self.tokenizer = tokenizer or plain_tokenizer()
        self.documents = documents  # BM25 over whole documents (None: an index built before it)

    @classmethod
    def build(cls, ids: list[str], texts: list[str], mode: str = DEFAULT_MODE,
              tokenizer: Tokenizer | None = None, doc_ids: list[str] | None = None) -> SparseIndex:
        """BM25 over `texts` (one per chunk id); with `doc_ids` (each chunk's document) also the
        document field, from the same token ids (no text is cut twice)."""
        import bm25s

        tokenizer = tokenizer or plain_tokenizer()
        retriever = bm25s.BM25()
        documents = None
        if ids:
            token_ids, vocab = _token_ids(texts, tokenizer, mode)
            retriever.index((token_ids, vocab), show_progress=False)
            if doc_ids is not None:
                documents = DocumentField.build(token_ids, retriever.vocab_dict, doc_ids)
        return cls(retriever if ids else None, list(ids), mode, tokenizer, documents)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)
        (directory / "ids.json").write_text(
            json.dumps({"mode": self.mode, "ids": self.ids}, ensure_ascii=False), encoding="utf-8"
        )
        if self.documents is not None:
            self.documents.save(directory / DocumentField.DIR)
        else:  # a copied index directory may hold an older field
            shutil.rmtree(directory / DocumentField.DIR, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path, tokenizer: Tokenizer | None = None) -> SparseIndex:
        meta = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        retriever = _Scorer(directory) if meta["ids"] else None
        documents = DocumentField.load(directory / DocumentField.DIR, retriever.vocab_dict) if retriever else None
        return cls(retriever, meta["ids"], meta["mode"], tokenizer, documents)

    def __len__(self) -> int:
        return len(self.ids)

    def query_tokens(self, query: str) -> list[str]:
        """The query's BM25 tokens that the index knows (general abbreviations spelled out)."""
        if self._bm25 is None:
            return []
        return [t for t in self.tokenizer.tokenize(expand_query(query), self.mode) if t in self._bm25.vocab_dict]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (position i = self.ids[i]); zeros if no query token is known."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        known = self.query_tokens(query)
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def document_ranks(self, query: str) -> dict[str, int]:
        """1-based rank of every document that holds a query token, by document-field BM25
        (empty for an index built without the field)."""
        if self.documents is None:
            return {}
        return self.documents.ranks(self.query_tokens(query))

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        s = self.scores(query)
        if mask is not None and len(s):
            s = np.where(mask, s, 0.0)
        return [(self.ids[i], float(s[i])) for i in top_k(s, k) if s[i] > 0]


class DocumentField:
    """BM25 over whole documents, each the bag of its chunks' tokens: a document that speaks of the
    question as a whole (its place and issuer in the opening lines, its subject in the headings, the
    asked detail in one passage) ranks above one whose single passage happens to share more words
    with the question.  Saved under the chunk index's directory with the chunk index's token ids, so
    loading it reads no second vocabulary (`from_tokens`: a field with its own vocabulary, for a
    backend without a bm25s chunk index)."""

    DIR = "docs"

    def __init__(self, scorer, doc_ids: list[str], own_vocab: bool = False) -> None:
        self._bm25 = scorer  # a bm25s.BM25 after build, a _Scorer after load
        self.doc_ids = doc_ids
        self.own_vocab = own_vocab  # saved with its vocabulary (else the chunk index's is used)

    @classmethod
    def from_tokens(cls, token_lists: list[list[str]], chunk_docs: list[str]) -> DocumentField:
        """The field of chunks given as token strings, with a vocabulary of its own."""
        vocab: dict[str, int] = {"": 0}
        ids = [[vocab.setdefault(t, len(vocab)) for t in toks] or [0] for toks in token_lists]
        field = cls.build(ids, vocab, chunk_docs)
        field.own_vocab = True
        return field

    @classmethod
    def build(cls, token_ids: list[list[int]], vocab: dict[str, int], chunk_docs: list[str]) -> DocumentField:
        import bm25s

        # 4-byte ids (a list would hold an 8-byte pointer per token): the bags copy every token once
        bags: dict[str, array] = {}
        for toks, doc in zip(token_ids, chunk_docs, strict=True):
            bags.setdefault(doc, array("i")).extend(toks)
        # a copy: bm25s adds the empty token to the vocabulary it is given when it lacks one
        retriever = bm25s.BM25()
        retriever.index((list(bags.values()), dict(vocab)), show_progress=False)
        if retriever.vocab_dict != vocab:  # the columns must be the chunk index's token ids
            raise ValueError("document field vocabulary differs from the chunk index's")
        return cls(retriever, list(bags))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(directory), show_progress=False)
        if not self.own_vocab:
            (directory / VOCAB_FILE).unlink(missing_ok=True)  # the chunk index's vocabulary is the same
        (directory / "ids.json").write_text(json.dumps({"ids": self.doc_ids}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, vocab: dict[str, int] | None = None) -> DocumentField | None:
        """The saved field (None when there is none); `vocab`: the chunk index's, for a field saved without its own."""
        if not (directory / "ids.json").is_file():
            return None
        meta = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        return cls(_Scorer(directory, vocab), meta["ids"], own_vocab=vocab is None)

    def knows(self, token: str) -> bool:
        return token in self._bm25.vocab_dict

    def ranks(self, tokens: list[str]) -> dict[str, int]:
        """1-based rank of each document with a positive score for `tokens` (known tokens only)."""
        if not tokens:
            return {}
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        order = top_k(scores, int(np.count_nonzero(scores > 0)))
        return {self.doc_ids[i]: r for r, i in enumerate(order, 1)}


def _token_ids(texts: list[str], tokenizer: Tokenizer, mode: str) -> tuple[list[list[int]], dict[str, int]]:
    """(token ids per text, vocabulary) for bm25s, each text's tokens turned into ids as soon as it
    is cut. A list of token strings per text costs ~60 bytes a token (one str object each): ~1 GB
    at 100× the bundled corpus. Ids shared from the vocabulary cost one 8-byte slot a token. An
    empty text is the token "", as before. Lines met again are not cut again (TokenMemo); the
    vocabulary's ids come in another order than from one tokenize() per text, the scores do not
    change (a test)."""
    vocab: dict[str, int] = {}

    def encode(tok: str) -> int:
        return vocab.setdefault(tok, len(vocab))

    memo = TokenMemo(tokenizer, mode, encode)
    return [memo(t) or [encode("")] for t in texts], vocab
