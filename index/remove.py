"""Removing one document from the index: the same copy-and-swap build as an ingest (index/build.py),
but without loading the embedding model, since nothing gets embedded.
"""

from __future__ import annotations

from pathlib import Path

from index import history
from index.build import _build
from index.layout import _lock, _read_manifest, _recover, default_index_dir


def remove(doc_id: str, index_dir: Path | None = None) -> bool:
    """Drop one document from every store. False when the index does not have it."""
    index_dir = Path(index_dir) if index_dir else default_index_dir()
    with _lock(index_dir):
        _recover(index_dir)
        manifest = _read_manifest(index_dir)
        if manifest is None or doc_id not in manifest["files"]:
            return False
        # removal embeds nothing: loading the model would only cost seconds and memory
        _build(index_dir, [], [doc_id], _NoEmbedder(manifest), progress=False, fresh=False)
        history.log_change(index_dir, "remove", doc_id, manifest["files"][doc_id])
    return True


class _NoEmbedder:
    """Stands in for the index's embedder when only removing (nothing gets embedded)."""

    def __init__(self, manifest: dict) -> None:
        self.id = manifest["embedder"]["id"]
        self.dim = manifest["embedder"]["dim"]

    def embed_passages(self, texts: list[str]):
        raise RuntimeError("removal does not embed")

    def embed_query(self, text: str):
        raise RuntimeError("removal does not embed")
