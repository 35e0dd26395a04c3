"""What replaced or removed documents were, and a copy of each version's source to restore it from.

Beside the index directory `<dir>` lives `<dir>-history/`:

    changes.jsonl                      one JSON line per replace / remove: when, what, which version
    <doc_id>/<sha256[:16]>/<file>      the source bytes of every version ever indexed

Every ingested source is copied once (keyed by content, so re-ingesting costs nothing), so a
replacement or removal never loses the previous version even when the file was edited in place:
`planqa ingest <copy>` restores it under the same doc id (the copy keeps the original file name).
The history lives outside the index directory because that directory is copied and swapped on
every build.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

LOG = "changes.jsonl"


def history_dir(index_dir: Path) -> Path:
    return index_dir.parent / f"{index_dir.name}-history"


def kept_copy(index_dir: Path, doc_id: str, sha256: str, source: str) -> Path:
    return history_dir(index_dir) / _safe(doc_id) / sha256[:16] / Path(source).name


def keep(index_dir: Path, doc_id: str, source: str, sha256: str) -> Path | None:
    """Copy `source` into the history if its bytes are the indexed version (`sha256`); the copy's
    path, or None when the source is gone or has changed since."""
    from ingest.pipeline import file_sha256  # ingest.pipeline loads every parser: not at import time

    dest = kept_copy(index_dir, doc_id, sha256, source)
    if dest.is_file():
        return dest
    src = Path(source)
    try:
        if not src.is_file() or file_sha256(src) != sha256:
            return None
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)  # never a half-written copy under the real name
        return dest
    except OSError:
        return None


def log_change(index_dir: Path, action: str, doc_id: str, old: dict[str, Any]) -> dict[str, Any]:
    """Append one replace/remove entry (with the previous version's kept copy) and return it."""
    copy = keep(index_dir, doc_id, str(old.get("source", "")), str(old.get("sha256", "")))
    entry = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "action": action,
        "doc_id": doc_id,
        "title": old.get("title"),
        "sha256": old.get("sha256"),
        "source": old.get("source"),
        "chunks": old.get("chunks"),
        "kept_copy": str(copy) if copy else None,
    }
    path = history_dir(index_dir) / LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return entry


def changes(index_dir: Path, doc_id: str | None = None) -> list[dict[str, Any]]:
    """The logged replace/remove entries, oldest first (a torn last line is skipped)."""
    path = history_dir(index_dir) / LOG
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if doc_id is None or entry.get("doc_id") == doc_id:
            out.append(entry)
    return out


def _safe(doc_id: str) -> str:
    return doc_id.replace("/", "_").replace("\\", "_").lstrip(".") or "_"


