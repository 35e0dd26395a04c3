"""The lexical baseline (jieba + bm25s, best sentence) answers from the right sentence of the corpus."""

from __future__ import annotations

from pathlib import Path

from eval.lexical import LexicalBaseline, corpus_sentences, run_lexical


def _corpus(tmp_path: Path) -> list[Path]:
    a = tmp_path / "a.txt"
    a.write_text("关于支持企业复工的通知\n一、对受疫情影响的中小企业，减免三个月房租。二、延期缴纳社会保险费。", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("关于口罩生产的通知\n鼓励企业扩大口罩产能；对新增生产线给予补助。", encoding="utf-8")
    return [a, b]


def test_sentences_split_on_chinese_sentence_ends(tmp_path: Path) -> None:
    sentences = [s for _, s in corpus_sentences(_corpus(tmp_path))]
    assert "二、延期缴纳社会保险费。" in sentences and "鼓励企业扩大口罩产能；" in sentences


def test_best_sentence_is_the_lexical_match(tmp_path: Path) -> None:
    base = LexicalBaseline(_corpus(tmp_path))
    assert base.best("社会保险费可以延期缴纳吗？")[0] == "二、延期缴纳社会保险费。"
    assert base.best("？？") == []


def test_run_lexical_scores_rouge_items(tmp_path: Path) -> None:
    items = [{"id": "q1", "question": "新增口罩生产线有什么支持？", "answers": ["对新增生产线给予补助。"],
              "doc": "b", "evidence": "对新增生产线给予补助。", "type": "narrative", "unanswerable": False,
              "metric": "rouge_l"}]
    run = run_lexical(items, _corpus(tmp_path), progress=False)
    assert run["results"][0]["rouge_l"] == 1.0 and run["metrics"]["rouge_l"] == 1.0
