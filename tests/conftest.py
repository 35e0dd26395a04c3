"""Shared fixtures: the bundled-corpus index, built once per test session.

The embedding cache is shared (PLANQA_CACHE_DIR if set, else one cache dir per session), so after
the first run building the index costs seconds, not the minute embedding takes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

# CI replays the same generated examples every run (a failure there is reproducible locally with
# CI=true); developers' runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("PLANQA_CACHE_DIR")
    path = Path(configured) if configured else tmp_path_factory.mktemp("embed-cache")
    os.environ["PLANQA_CACHE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def bundled_index_dir(tmp_path_factory: pytest.TempPathFactory, embedding_cache_dir: Path) -> Path:
    """Path of an index of the bundled corpus (data/corpus), built for this session."""
    from index.store import ingest

    index_dir = tmp_path_factory.mktemp("bundled") / "index"
    report = ingest(None, index_dir, progress=False)
    assert not report.errors, [str(e) for e in report.errors]
    return index_dir


@pytest.fixture(scope="session")
def bundled_index(bundled_index_dir: Path):
    """The bundled-corpus index, opened (shared: do not mutate)."""
    from index.store import Index

    return Index.open(bundled_index_dir)
