"""Evaluation indexes, isolated from the live index.

`planqa eval` never reads or writes `$PLANQA_HOME/index` (what users upload into).  Each corpus
folder gets its own index under `$PLANQA_HOME/eval-index/<digest>`, where the digest covers

* the corpus content (every supported file's relative path and sha256),
* the parser fingerprint (ingest code, see `index.store.parser_fingerprint`) and the index code,
* the embedder id,

so an unchanged corpus with unchanged code reuses its index, and any change builds a fresh one
(the shared embedding cache keeps that cheap: unchanged chunk texts are never embedded twice).
Indexes of older digests for the same corpus folder are removed once a new one is complete.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

SUPPORTED = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
STAMP = "eval-corpus.json"  # written last: an index directory without it is incomplete


def corpus_files(corpus: Path) -> list[Path]:
    corpus = Path(corpus)
    if corpus.is_file():
        return [corpus]
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)


def _code_hash() -> str:
    import index as index_pkg

    h = hashlib.sha256()
    for f in sorted(Path(index_pkg.__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def corpus_digest(corpus: Path) -> str:
    """Digest of the corpus content and of the code and embedder that index it."""
    from index.store import embedder_id_for, parser_fingerprint

    corpus = Path(corpus)
    h = hashlib.sha256()
    for f in corpus_files(corpus):
        rel = f.name if corpus.is_file() else str(f.relative_to(corpus))
        h.update(rel.encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    for part in (parser_fingerprint(), _code_hash(), embedder_id_for()):
        h.update(part.encode())
    return h.hexdigest()[:20]


def eval_index_root() -> Path:
    from index.config import planqa_home

    return planqa_home() / "eval-index"


def eval_index(corpus: Path, progress: bool = True) -> Path:
    """The isolated index directory of `corpus`, built first when missing or stale."""
    from assistant.derivations import ingest  # the sentence statistics registered

    corpus = Path(corpus).resolve()
    root = eval_index_root()
    target = root / corpus_digest(corpus)
    if (target / STAMP).is_file():
        return target / "index"
    if progress:
        n = len(corpus_files(corpus))
        print(f"eval: indexing {n} documents of {corpus} into {target} (embeddings cached)", file=sys.stderr)
    report = ingest([corpus], target / "index", progress=progress)
    for err in report.errors:
        print(f"eval: skipped {err}", file=sys.stderr)
    (target / STAMP).write_text(json.dumps({"corpus": str(corpus), "errors": [str(e) for e in report.errors]},
                                           ensure_ascii=False), encoding="utf-8")
    _drop_stale(root, corpus, keep=target)
    return target / "index"


def _drop_stale(root: Path, corpus: Path, keep: Path) -> None:
    """Remove older eval indexes of the same corpus folder (other digests), keeping `keep`."""
    for stamp in root.glob(f"*/{STAMP}"):
        d = stamp.parent
        if d == keep:
            continue
        try:
            if json.loads(stamp.read_text(encoding="utf-8")).get("corpus") == str(corpus):
                shutil.rmtree(d, ignore_errors=True)
        except (OSError, json.JSONDecodeError):
            continue
