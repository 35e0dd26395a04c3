"""Answerable questions asked in everyday words are answered, not refused: a colloquial fragment or
a side remark about a place is no unknown topic, a project's phase or capacity stated in its row
text is found, and 别名-style questions meet a text's 之称."""

from assistant.query import analyze
from tests.assistant.conftest import quotes_contain


def test_a_colloquial_fragment_before_a_park_word_is_not_an_unknown_topic(assistant):
    v = assistant.corpus.vocab
    assert analyze("“双核引领”当中除了保税区还有哪个？", v).unknown_place is None
    assert analyze("这个规划里除了开发区，还提到哪个园区？", v).unknown_place is None
    # a real unknown place before a park word is still refused
    assert analyze("深圳高新区有多少家企业？", v).unknown_place == "深圳高新区"
    assert analyze("某某园区有多少企业？", v).unknown_place == "某某园区"


def test_a_known_park_named_in_full_wins_over_a_side_remark_about_a_place(assistant):
    v = assistant.corpus.vocab
    # 普湾 heads a park name the text uses (普湾经济区); the question's subject is a covered park
    assert analyze("普湾这一带的普兰店经济开发区现有多少家企业？", v).unknown_place is None
    # a place listed only in passing, before a generic park word, is still unknown
    assert analyze("长海县经济开发区有多少个重点项目？", v).unknown_place == "长海县"
    assert analyze("沈阳的开发区有多少家企业？", v).unknown_place == "沈阳"


def test_a_phase_figure_in_the_project_text_answers_a_phase_question(ask):
    a = ask("中国移动数据中心二期投资是多少？")
    assert not a["abstained"], a["answer"]
    assert "二期投资10亿元" in a["first"]
    assert "252000" not in a["first"]  # the row total (all phases) comes on a later line
    assert quotes_contain(a, "二期投资10亿元")


def test_a_phase_the_project_text_does_not_give_is_refused(ask):
    assert ask("中国移动数据中心五期投资是多少？")["abstained"]


def test_a_processing_capacity_is_read_from_the_project_content(ask):
    a = ask("张屯污水处理厂的处理规模是多少？")
    assert not a["abstained"], a["answer"]
    assert "日处理2万吨" in a["first"]


def test_a_project_named_by_its_owners_short_name_is_found(ask):
    a = ask("崇达PCB二期项目增加几条生产线？")
    assert not a["abstained"], a["answer"]
    assert "崇达电路" in a["first"] and "10条" in a["first"]


def test_an_alias_question_meets_the_texts_zhicheng(ask):
    a = ask("大连开发区的别名叫什么？")
    assert not a["abstained"], a["answer"]
    assert "神州第一开发区" in a["first"]


def test_a_jurisdiction_qualifier_is_not_a_word_the_answer_must_hold(assistant):
    """全省 / 本市 / 我区 say "the whole area the document governs": a report writes 实施省重点项目…
    without them, so they must not count as content words the sentence lacks."""
    from assistant.query import analyze
    from assistant.question_terms import key_words

    for qualifier in ("全省", "全区", "我省", "本市", "全县"):
        q = analyze(f"2018年{qualifier}地区生产总值是多少？", assistant.corpus.vocab)
        words = {w for ws in key_words(q, assistant.scorer) for w in ws}
        assert qualifier not in words, words
        assert words & {"地区生产总值", "生产总值"}, words
