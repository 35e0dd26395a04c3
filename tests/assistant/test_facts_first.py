"""Facts first: a figure question is answered from a prose fact whose measure, in its sentence,
names what is asked — not from a fact whose bare measure only looks alike."""

import pytest

from assistant.facts import answer_from_facts, measure_similarity
from assistant.premise import focus
from assistant.query import analyze
from index.tokens import plain_tokenizer


def _facts(assistant, question):
    q = focus(analyze(question, assistant.corpus.vocab), assistant.corpus.vocab)
    return answer_from_facts(q, assistant.corpus, assistant.index, assistant._fact_vectors)


def test_a_measure_without_its_subject_needs_the_subject_in_its_sentence():
    tok = plain_tokenizer()
    own = measure_similarity("食品加工占全部工业比重", "占全部工业比重", tok, "食品加工总产值达到50亿元，占全部工业比重16%")
    other = measure_similarity("食品加工占全部工业比重", "占全部工业比重", tok, "纺织服装总产值达到9亿元，占全部工业比重3%")
    assert own > other


@pytest.mark.parametrize("question,figure", [
    ("到2025年食品工业占庄河规模工业的比重要达到多少？", "35%"),
    ("到2022年城市生活垃圾无害化处理率目标？", "100%"),
])
def test_a_prose_target_answers_its_figure_question(assistant, question, figure):
    a = _facts(assistant, question)
    assert a is not None and figure in a.lines[0]
    assert figure.rstrip("%") in a.evidence[0].quote


def test_another_industrys_share_is_not_taken_for_the_asked_one(assistant):
    a = _facts(assistant, "清洁能源占庄河规模工业比重目标是多少？")
    assert a is None or "35%" not in a.lines[0]


def test_fact_vectors_kept_in_a_bounded_cache_score_as_with_an_unbounded_one():
    """The assistant keeps fact-context vectors in an LRU of FACT_VECTORS entries; a question whose
    candidates outnumber the cache still scores every context with its own vector."""
    import numpy as np

    from assistant.bounded import LRUCache
    from assistant.facts import embedding_similarity

    class Embedder:
        calls = 0

        def embed_passages(self, texts):
            Embedder.calls += 1
            return [np.array([1.0, float(len(t))]) / np.hypot(1.0, len(t)) for t in texts]

    contexts = ["甲", "乙乙", "丙丙丙", "甲"]
    qv = np.array([1.0, 1.0]) / np.sqrt(2)
    unbounded = embedding_similarity(lambda: qv, Embedder(), contexts, {})
    small = LRUCache(1)
    assert embedding_similarity(lambda: qv, Embedder(), contexts, small) == unbounded
    assert len(small) == 1 and unbounded[0] == unbounded[3] and unbounded[0] > unbounded[2]
