"""A scripted stand-in for the assistant and its index, over sentences of the bundled corpus."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus" / "zhuanghe-industry-tech-14th-fyp-2022.txt"


def corpus_sentence(containing: str) -> str:
    """The sentence of the bundled Zhuanghe plan (as printed, whitespace kept) containing `containing`."""
    text = CORPUS.read_text(encoding="utf-8")
    for sentence in re.split(r"(?<=[。；])", text):
        if containing in re.sub(r"\s+", "", sentence):
            return sentence.strip()
    raise AssertionError(f"{containing!r} not in the corpus")


@pytest.fixture
def sentence_of():
    """`corpus_sentence` as a fixture, for test modules (conftest is not importable by name)."""
    return corpus_sentence


@dataclass
class FakeChunk:
    id: str
    text: str


@dataclass
class FakeHit:
    chunk: FakeChunk


class FakeRecords:
    def __init__(self, chunks: dict[str, str]) -> None:
        self._chunks = chunks

    def chunk(self, chunk_id: str) -> FakeChunk | None:
        text = self._chunks.get(chunk_id)
        return FakeChunk(chunk_id, text) if text is not None else None


class FakeIndex:
    """Returns scripted chunks per question, like Index.search."""

    def __init__(self, retrieved: dict[str, list[str]]) -> None:
        self._retrieved = retrieved
        self.records = FakeRecords({f"c{i}": t for texts in retrieved.values() for i, t in enumerate(texts)})

    def search(self, query: str, k: int = 10) -> list[FakeHit]:
        return [FakeHit(FakeChunk(f"c{i}", t)) for i, t in enumerate(self._retrieved.get(query, [])[:k])]


class FakeAssistant:
    """Answers from a script; anything unscripted raises, as a crashing system would."""

    def __init__(self, replies: dict[str, dict], index: FakeIndex | None = None) -> None:
        self._replies = replies
        self.index = index
        self.asked: list[str] = []

    def ask(self, question: str) -> dict:
        self.asked.append(question)
        return self._replies[question]


def reply(answer: str, quote: str = "", abstained: bool = False) -> dict:
    cites = [{"n": 1, "doc_id": "zhuanghe-industry-tech-14th-fyp-2022", "doc_title": "庄河", "section": "二、",
              "page": 7, "quote": quote, "chunk_id": "x"}] if quote else []
    return {"answer": answer, "abstained": abstained, "mode": "extractive", "citations": cites, "latency_ms": 1.0}


Q_OUTPUT = "到2025年庄河规上工业总产值目标是多少？"
Q_HITECH = "到2025年庄河高新技术企业数目标是多少？"
Q_TAX = "到2025年庄河规上工业税收目标是多少？"
Q_GDP = "庄河市2025年地区生产总值目标是多少？"


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> Path:
    items = [
        {"id": "zh-target-001", "question": Q_OUTPUT, "answers": ["300亿元"],
         "doc": "zhuanghe-industry-tech-14th-fyp-2022", "evidence": "全市规上工业总产值达到300亿元",
         "type": "target", "unanswerable": False},
        {"id": "zh-target-002", "question": Q_HITECH, "answers": ["≥80家"],
         "doc": "zhuanghe-industry-tech-14th-fyp-2022", "evidence": "高新技术企业达到80家以上",
         "type": "target", "unanswerable": False},
        {"id": "zh-target-003", "question": Q_TAX, "answers": ["6亿元"],
         "doc": "zhuanghe-industry-tech-14th-fyp-2022", "evidence": "全市规模以上工业企业实现税收6亿元",
         "type": "stat", "unanswerable": False},
        {"id": "none-001", "question": Q_GDP, "answers": [], "doc": "none", "evidence": "",
         "type": "unanswerable", "unanswerable": True},
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def scripted_assistant() -> FakeAssistant:
    """Right with a good quote; wrong figure (80家, bound missing) with a good quote; a false refusal;
    a correct refusal. Retrieval finds the first two sentences only."""
    output = corpus_sentence("全市规上工业总产值达到300亿元")
    hitech = corpus_sentence("高新技术企业达到80家以上")
    index = FakeIndex({Q_OUTPUT: ["无关段落", output], Q_HITECH: [hitech], Q_TAX: ["无关段落"]})
    return FakeAssistant(
        {
            Q_OUTPUT: reply("规上工业总产值目标是三百亿元。\n依据见第二章。", quote=output),
            Q_HITECH: reply("高新技术企业达到80家。", quote=hitech),
            Q_TAX: reply("文档中没有找到相关信息。", abstained=True),
            Q_GDP: reply("文档中没有找到庄河市地区生产总值目标。", abstained=True),
        },
        index,
    )
