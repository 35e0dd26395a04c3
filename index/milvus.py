"""The Milvus vector-store backend: one collection per index, dense + sparse + filter fields.

`PLANQA_MILVUS_URI` (or `milvus_uri` in config.toml): a local path ending in `.db` runs Milvus Lite
inside the process (the default: `milvus.db` beside the index directory); `http://host:19530` talks
to a Milvus server through the same `MilvusClient` calls. `PLANQA_MILVUS_TOKEN` authenticates with a
server, `PLANQA_MILVUS_COLLECTION` overrides the collection name (default: `planqa_` + a hash of the
index directory, so several indexes can share one Milvus).

Sparse retrieval (`PLANQA_MILVUS_SPARSE`):
- `jieba` (default): BM25 over *our* tokens (`index.tokens.tokenize`: jieba with the ingested
  documents' domain dictionary plus CJK character bigrams). Each chunk stores its BM25 term-frequency
  part as a sparse vector (dimension = crc32 of the token); the query vector carries the IDF weights,
  computed from document frequencies kept in the index directory (`milvus_sparse.npz`). Inner
  product of the two is the BM25 score (bm25s' "lucene" variant, k1=1.5, b=0.75, like the FAISS
  path), so IDF stays exact when documents are added or removed without rewriting stored vectors.
- `bm25`: Milvus's own BM25 function over a `text` field with its `jieba` analyzer — no domain
  dictionary, no bigrams, statistics kept by the engine. README "Scale" measures both.

Not atomic with the index-directory swap: the collection is changed in place (delete by doc_id,
then insert) just before the swap; an ingest that dies in between is repaired by the next ingest,
which finds the documents unchanged in the old manifest and writes them again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from index.config import setting
from index.retrieve import FILTER_KEYS, chunk_years, search_text
from index.sparse import DocumentField
from index.tokens import DEFAULT_MODE, Tokenizer, TokenMemo, expand_query, read_domain_words
from ingest.model import Chunk

SPARSE_MODES = ("jieba", "bm25")
STATS_FILE = "milvus_sparse.npz"
DOCS_DIR = "milvus_docs"  # the document field (index/sparse.py DocumentField), jieba sparse mode
K1, B = 1.5, 0.75  # bm25s defaults: the FAISS path's BM25, so both backends rank alike
INSERT_BATCH = 1000  # rows per insert call (a gRPC message stays well under its 64 MB limit)
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF = 32, 80, 64  # as dense.py's HNSW
TEXT_CHARS = 16000  # VARCHAR max_length counts bytes: 16 000 CJK chars = 48 000 of 65 535
PARK_CHARS = 150
LITE_GRPC_OPTIONS = {"grpc.keepalive_time_ms": 600_000, "grpc.keepalive_permit_without_calls": 0}


def milvus_uri(index_dir: Path) -> str:
    uri = setting("PLANQA_MILVUS_URI", "milvus_uri") or str(Path(index_dir).parent / "milvus.db")
    if "://" in uri:
        return uri
    path = Path(uri).expanduser().resolve()
    if path.suffix != ".db":
        raise ValueError(f"PLANQA_MILVUS_URI={uri!r}: a Milvus Lite file must end in .db (or use http://host:19530)")
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def collection_name(index_dir: Path) -> str:
    name = setting("PLANQA_MILVUS_COLLECTION", "milvus_collection")
    if name:
        return name
    return "planqa_" + hashlib.sha1(str(Path(index_dir).resolve()).encode()).hexdigest()[:12]


def sparse_mode() -> str:
    mode = (setting("PLANQA_MILVUS_SPARSE", "milvus_sparse") or "jieba").strip().lower()
    if mode not in SPARSE_MODES:
        raise ValueError(f"PLANQA_MILVUS_SPARSE={mode!r}: use one of {', '.join(SPARSE_MODES)}")
    return mode


class MilvusUnavailable(RuntimeError):
    """The configured Milvus cannot be reached (server down, or a Lite file another process holds)."""


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def client(uri: str) -> Any:
    """One MilvusClient per URI and process (Milvus Lite runs one in-process server per file)."""
    with _clients_lock:
        if uri not in _clients:
            from pymilvus import MilvusClient

            token = setting("PLANQA_MILVUS_TOKEN", "milvus_token") or ""
            # Milvus Lite's in-process gRPC server keeps gRPC's default ping policy (one per 5 min)
            # and answers pymilvus's 10 s keepalive pings with GOAWAY "too_many_pings"
            lite = {} if "://" in uri else {"grpc_options": LITE_GRPC_OPTIONS}
            try:
                _clients[uri] = MilvusClient(uri=uri, token=token, **lite)
            except Exception as e:
                why = ("Milvus Lite serves one process at a time: stop the other planqa process using it"
                       " (e.g. `planqa serve`), or use a Milvus server") if lite else ""
                raise MilvusUnavailable(f"cannot open Milvus at {uri}: {e}. {why}".strip()) from e
        return _clients[uri]


# --- sparse vectors from our tokens ---------------------------------------------------------------


def token_dim(token: str) -> int:
    return zlib.crc32(token.encode("utf-8"))


class SparseStats:
    """Document frequencies per token dimension, the corpus size and mean length (for BM25)."""

    def __init__(self, dims: np.ndarray, df: np.ndarray, n_docs: int, avgdl: float) -> None:
        self.dims, self.df, self.n_docs, self.avgdl = dims, df, n_docs, avgdl

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> SparseStats:
        df: Counter[int] = Counter()
        for toks in token_lists:
            df.update({token_dim(t) for t in toks})
        dims = np.fromiter(sorted(df), dtype=np.uint32, count=len(df))
        counts = np.asarray([df[int(d)] for d in dims], dtype=np.int32)
        avgdl = float(np.mean([len(t) for t in token_lists])) if token_lists else 1.0
        return cls(dims, counts, len(token_lists), max(avgdl, 1.0))

    def doc_vector(self, tokens: list[str]) -> dict[int, float]:
        """The BM25 term-frequency part as bm25s computes it: tf / (tf + k1·(1 − b + b·dl/avgdl))."""
        tf = Counter(token_dim(t) for t in tokens)
        norm = K1 * (1 - B + B * len(tokens) / self.avgdl)
        return {d: float(c / (c + norm)) for d, c in tf.items()}

    def query_vector(self, tokens: list[str]) -> dict[int, float]:
        """IDF (Lucene's, always positive) of every known query token, repeated tokens adding up."""
        out: dict[int, float] = {}
        for t in tokens:
            d = token_dim(t)
            i = int(np.searchsorted(self.dims, d))
            if i < len(self.dims) and self.dims[i] == d:
                df = float(self.df[i])
                out[d] = out.get(d, 0.0) + float(np.log(1 + (self.n_docs - df + 0.5) / (df + 0.5)))
        return out

    def save(self, path: Path) -> None:
        np.savez(path, dims=self.dims, df=self.df, meta=np.asarray([self.n_docs, self.avgdl]))

    @classmethod
    def load(cls, path: Path) -> SparseStats:
        z = np.load(path)
        return cls(z["dims"], z["df"], int(z["meta"][0]), float(z["meta"][1]))


# --- filters --------------------------------------------------------------------------------------


def _lit(value: Any) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def milvus_filter(filters: dict[str, Any] | None) -> str:
    """The `filters` of `Index.search` as a Milvus boolean expression ("" = no filter).

    Same meaning as `retrieve.ChunkFilter`, except that a park filter matches the chunk's park or
    text containing the asked name, not an asked name that contains the chunk's (shorter) park."""
    if not filters:
        return ""
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown filter {', '.join(sorted(unknown))}; use {', '.join(FILTER_KEYS)}")
    parts = []
    for key, value in filters.items():
        if value is None or value == "":
            continue
        wanted = list(value) if isinstance(value, list | tuple | set) else [value]
        if key in ("doc_id", "kind"):
            parts.append(f"{key} in [{', '.join(_lit(w) for w in wanted)}]")
        elif key == "park":
            names = [str(w).replace("%", "") for w in wanted if str(w)]
            parts.append("(" + " or ".join(f'park like {_lit("%" + w + "%")} or text like {_lit("%" + w + "%")}'
                                           for w in names) + ")")
        else:
            try:
                years = [int(w) for w in wanted]
            except (TypeError, ValueError) as e:
                raise ValueError(f"year filter must be a number, got {value!r}") from e
            # a space-separated VARCHAR with LIKE: Milvus Lite's array_contains_any is ~100× slower
            parts.append("(" + " or ".join(f'years like "% {y} %"' for y in years) + ")")
    return " and ".join(p for p in parts if p not in ("()",))


# --- the collection -------------------------------------------------------------------------------


def _create_collection(cl: Any, name: str, dim: int, mode: str) -> None:
    from pymilvus import DataType, Function, FunctionType

    schema = cl.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=512)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
    schema.add_field("kind", DataType.VARCHAR, max_length=32)
    schema.add_field("park", DataType.VARCHAR, max_length=PARK_CHARS * 4)
    schema.add_field("years", DataType.VARCHAR, max_length=2048)
    text_opts = {"enable_analyzer": True, "analyzer_params": {"tokenizer": "jieba"}} if mode == "bm25" else {}
    schema.add_field("text", DataType.VARCHAR, max_length=65535, **text_opts)
    schema.add_field("vec", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    if mode == "bm25":
        schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25,
                                     input_field_names=["text"], output_field_names=["sparse"]))
    params = cl.prepare_index_params()
    params.add_index("vec", index_type="HNSW", metric_type="IP",
                     params={"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION})
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25" if mode == "bm25" else "IP")
    cl.create_collection(name, schema=schema, index_params=params, consistency_level="Strong")


def _row(c: Chunk, vector: np.ndarray, sparse: dict[int, float] | None) -> dict[str, Any]:
    text = search_text(c)
    years = sorted(chunk_years(c.meta, c.text))
    row = {"id": c.id, "doc_id": c.doc_id, "kind": c.kind, "park": str(c.meta.get("park") or "")[:PARK_CHARS],
           "years": f" {' '.join(map(str, years))} "[:2040], "text": text[:TEXT_CHARS],
           "vec": np.asarray(vector, dtype=np.float32).tolist()}
    if sparse is not None:
        row["sparse"] = sparse or {0: 0.0}  # Milvus wants at least one entry; 0.0 matches nothing
    return row


class MilvusWriter:
    def __init__(self, index_dir: Path, dim: int, old: dict | None) -> None:
        self.index_dir = Path(index_dir)
        self.dim = dim
        self.uri = milvus_uri(index_dir)
        self.name = (old or {}).get("collection") or collection_name(index_dir)
        self.mode = (old or {}).get("sparse") or sparse_mode()

    def write(self, build: Path, drop_docs: list[str], drop_ids: list[str], new_chunks: list[Chunk],
              vectors: np.ndarray | None, all_chunks: list[Chunk], fresh: bool) -> dict[str, Any]:
        cl = client(self.uri)
        if fresh and cl.has_collection(self.name):
            cl.drop_collection(self.name)
        if not cl.has_collection(self.name):
            _create_collection(cl, self.name, self.dim, self.mode)
        gone = sorted(set(drop_docs) | {c.doc_id for c in new_chunks})
        for i in range(0, len(gone), 200):
            cl.delete(self.name, filter=f"doc_id in [{', '.join(_lit(d) for d in gone[i:i + 200])}]")
        sparse: Callable[[Chunk], dict[int, float] | None] = lambda c: None  # noqa: E731
        if self.mode == "jieba":
            stats, tokens = self._stats(all_chunks, Tokenizer(read_domain_words(build)))
            stats.save(build / STATS_FILE)
            sparse = lambda c: stats.doc_vector(tokens[c.id])  # noqa: E731
            shutil.rmtree(build / DOCS_DIR, ignore_errors=True)
            if all_chunks:
                DocumentField.from_tokens([tokens[c.id] for c in all_chunks],
                                          [c.doc_id for c in all_chunks]).save(build / DOCS_DIR)
        for i in range(0, len(new_chunks), INSERT_BATCH):
            part = new_chunks[i : i + INSERT_BATCH]
            rows = [_row(c, v, sparse(c)) for c, v in zip(part, vectors[i : i + INSERT_BATCH], strict=True)]
            cl.insert(self.name, rows)
        cl.flush(self.name)  # persisted and indexed before the manifest that points at it is swapped in
        count = int(cl.get_collection_stats(self.name).get("row_count", 0))
        return {"kind": "milvus", "uri": self.uri, "collection": self.name, "sparse": self.mode,
                "tokenizer": DEFAULT_MODE, "vectors": count}

    @staticmethod
    def _stats(all_chunks: list[Chunk], tk: Tokenizer) -> tuple[SparseStats, dict[str, list[str]]]:
        # the index's own tokenizer (its domain words), as the FAISS store's BM25 uses
        memo = TokenMemo(tk, DEFAULT_MODE)  # lines met again are not cut again
        tokens = {c.id: memo(search_text(c)) for c in all_chunks}
        return SparseStats.build(list(tokens.values())), tokens


class MilvusStore:
    """Search side: dense and sparse queries against the index's collection, filters pushed down."""

    kind = "milvus"

    def __init__(self, cl: Any, name: str, mode: str, stats: SparseStats | None, tokenizer: str,
                 tk: Tokenizer | None = None, documents: DocumentField | None = None,
                 chunk_docs: Callable[[], dict[str, str]] | None = None) -> None:
        self._cl, self.name, self.mode, self._stats, self._tokenizer = cl, name, mode, stats, tokenizer
        self._tk = tk or Tokenizer()
        self._documents, self._chunk_docs, self._doc_of = documents, chunk_docs, None

    @classmethod
    def open(cls, index_dir: Path, info: dict, tk: Tokenizer | None = None,
             chunk_docs: Callable[[], dict[str, str]] | None = None) -> MilvusStore:
        # the configured URI wins (a server moved), else the one the index was built against
        uri = milvus_uri(index_dir) if setting("PLANQA_MILVUS_URI", "milvus_uri") else info["uri"]
        cl = client(uri)
        if not cl.has_collection(info["collection"]):
            raise LookupError(f"Milvus at {uri} has no collection {info['collection']!r} for index {index_dir};"
                              " rebuild it with `planqa ingest --rebuild`")
        cl.load_collection(info["collection"])
        stats = SparseStats.load(Path(index_dir) / STATS_FILE) if info["sparse"] == "jieba" else None
        return cls(cl, info["collection"], info["sparse"], stats, info.get("tokenizer", DEFAULT_MODE),
                   tk or Tokenizer(read_domain_words(index_dir)), DocumentField.load(Path(index_dir) / DOCS_DIR),
                   chunk_docs)

    def _ids(self, data: list[Any], field: str, n: int, expr: str, params: dict) -> list[str]:
        res = self._cl.search(self.name, data=data, anns_field=field, limit=n, filter=expr, search_params=params)
        return [str(h["id"]) for h in res[0]] if res else []

    def candidates(self, query: str, query_vector: Callable[[], np.ndarray], n: int,
                   filters: dict[str, Any] | None, mode: str) -> tuple[list[str], list[str]]:
        expr = milvus_filter(filters)
        dense_ids: list[str] = []
        sparse_ids: list[str] = []
        if mode in ("hybrid", "dense"):
            qv = np.asarray(query_vector(), dtype=np.float32).reshape(-1).tolist()
            dense_ids = self._ids([qv], "vec", n, expr, {"metric_type": "IP", "params": {"ef": max(HNSW_EF, n)}})
        if mode in ("hybrid", "bm25"):
            text = expand_query(query)
            if self.mode == "bm25":
                sparse_ids = self._ids([text], "sparse", n, expr, {"metric_type": "BM25"})
            else:
                assert self._stats is not None
                qs = self._stats.query_vector(self._tk.tokenize(text, self._tokenizer))
                if qs:
                    sparse_ids = self._ids([qs], "sparse", n, expr, {"metric_type": "IP"})
        return dense_ids, sparse_ids

    def document_ranks(self, query: str) -> tuple[dict[str, int], dict[str, str]]:
        if self._documents is None or self._chunk_docs is None:
            return {}, {}  # Milvus's own BM25 (sparse mode bm25) has no document field: chunk ranks alone
        if self._doc_of is None:
            self._doc_of = self._chunk_docs()
        tokens = [t for t in self._tk.tokenize(expand_query(query), self._tokenizer) if self._documents.knows(t)]
        return self._documents.ranks(tokens), self._doc_of

    def close(self) -> None:
        pass  # the client is shared per URI and process (see `client`)
