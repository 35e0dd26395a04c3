"""Which document a policy span comes from: the one holding the question's words that the other hit
documents lack, whatever the retrieval order; a place word several titles share is no comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.docsentences import DocSentences
from assistant.policy import answer_policy, doc_coverage
from tests.assistant.test_policy_answers import FakeIndex
from tests.assistant.test_query_analysis import assistant_over

QINGHE = (
    "青禾市关于支持小微企业稳定就业的通知\n"
    "对受疫情影响暂时困难的小微企业，青禾市按每人每月800元标准发放稳岗补贴，补贴期限3个月。\n"
    "各区人社部门要简化申领流程，实行网上申领。\n"
)
SHIQUAN = (
    "石泉市关于支持小微企业稳定就业的通知\n"
    "对受疫情影响暂时困难的小微企业，按每人每月500元标准发放稳岗补贴，所需资金从失业保险基金列支。\n"
    "石泉市人社部门负责政策解释。\n"
)


def test_a_rare_question_word_weighs_more_than_one_every_document_holds():
    docs = [DocSentences.build("q", QINGHE), DocSentences.build("s", SHIQUAN)]
    qinghe, shiquan = doc_coverage(["青禾市", "小微企业", "稳岗补贴"], docs)
    assert qinghe == pytest.approx(1.0)
    assert 0.0 < shiquan < 0.5  # it holds the shared words only, which weigh least


def test_doc_coverage_of_words_no_document_holds_is_zero():
    docs = [DocSentences.build("q", QINGHE)]
    assert doc_coverage(["不存在的词"], docs) == [0.0]


@pytest.mark.parametrize("place, expected", [("青禾市", "800元"), ("石泉市", "500元")])
def test_the_span_comes_from_the_document_the_question_names_whatever_the_hit_order(place, expected):
    index = FakeIndex({"qinghe": QINGHE, "shiquan": SHIQUAN})
    for order in (("qinghe", "shiquan"), ("shiquan", "qinghe")):
        hits = [c for d in order for c in index.chunks if c.doc_id == d]
        ans = answer_policy(f"{place}对受疫情影响暂时困难的小微企业有哪些稳岗补贴措施？", None, hits, index)
        assert ans is not None and expected in "".join(ans.lines), (place, order, ans and ans.lines)


@pytest.fixture(scope="module")
def two_notices(tmp_path_factory):
    return assistant_over(Path(tmp_path_factory.mktemp("two-notices")), {
        "qinghe-jobs": QINGHE,
        "qinghe-rent": "青禾市关于减免中小企业房租的通知\n对承租国有资产类经营用房的中小企业，免收3个月房租。\n",
        "shiquan-jobs": SHIQUAN,
    })


def test_only_a_question_naming_each_document_apart_compares_them(two_notices):
    vocab = two_notices.corpus.vocab
    docs = {s.doc_id: s for s in vocab.scopes}
    qinghe = [d for d, s in docs.items() if "青禾市" in s.title]
    assert len(qinghe) == 2
    assert not vocab.named_apart("青禾市对中小企业有哪些优惠政策", qinghe)
    assert vocab.named_apart("青禾市和石泉市的稳岗补贴标准分别是多少", list(docs))


def test_a_place_two_notices_share_gets_one_answer_not_one_per_notice(two_notices):
    r = two_notices.ask("青禾市对受疫情影响暂时困难的小微企业发放多少稳岗补贴？")
    first = r["answer"].splitlines()[0]
    assert "800元" in first and "青禾市：" not in first, r["answer"]
