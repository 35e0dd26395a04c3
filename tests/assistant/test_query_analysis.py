"""Question analysis: normalisation, years, parks by short forms, document scope, intents."""

from pathlib import Path

import pytest

from assistant.numbers import canon_number, match_form, numbers_in
from assistant.query import analyze
from assistant.vocab import expand_synonyms, learn_places, park_core


def test_full_width_spaces_and_chinese_year_are_normalised():
    assert match_form("到 二〇二五年 ＧＤＰ　目标") == "到2025年GDP目标"


def test_numbers_compare_without_commas_or_trailing_zeros():
    assert numbers_in("1,030处计13.21兆瓦，3.0%") == ["1030", "13.21", "3"]
    assert canon_number("0.50") == "0.5"


def test_general_abbreviations_are_written_out():
    assert "规模以上工业" in expand_synonyms("规上工业总产值")
    assert "高新技术企业" in expand_synonyms("高企数量")
    assert "地区生产总值" in expand_synonyms("GDP增速")


def test_park_core_strips_affixes_and_the_place_the_corpus_puts_before_its_parks():
    parks = ["大连循环经济产业区", "大连高新技术产业园区", "大连长兴岛经济技术开发区"]
    places = learn_places(["大连沿海产业转型升级示范区建设方案"], parks, ["大连市位于辽东半岛南端"])
    assert park_core("大连循环经济产业区", places) == "循环"
    assert park_core("大连高新技术产业园区", places) == "高新"
    assert park_core("大连长兴岛经济技术开发区", places) == "长兴岛"
    # without the corpus's places only the general XX市 / XX省 prefix goes
    assert park_core("某某市高新技术产业园区") == "高新"


def test_short_park_names_resolve_to_the_indexed_parks(assistant):
    vocab = assistant.corpus.vocab
    cases = {"保税区": "保税区", "循环区": "循环", "高新区": "高新", "长兴岛": "长兴岛", "瓦房店": "瓦房店",
             "花园口": "花园口", "普兰店": "普兰店", "旅顺开发区": "旅顺"}
    for word, core in cases.items():
        found = vocab.parks_in(match_form(f"{word}有哪些项目"))
        assert found, word
        assert any(core in n for n in found[0][0].names), (word, found[0][0].names)


def test_high_tech_enterprises_are_not_the_high_tech_zone(assistant):
    assert not assistant.corpus.vocab.parks_in("高新技术企业数量")


def test_document_scope_learned_from_titles(assistant):
    q = analyze("庄河十四五规划里2025年规上工业产值目标", assistant.corpus.vocab)
    assert q.doc_ids[0] == "zhuanghe-industry-tech-14th-fyp-2022"
    assert q.years == [2025]
    q = analyze("示范区建设方案中有多少个重点项目", assistant.corpus.vocab)
    assert q.doc_ids[0] == "dalian-coastal-transformation-2019"
    assert q.wants_count


def test_intents(assistant):
    v = assistant.corpus.vocab
    assert analyze("保税区有哪些项目", v).wants_list
    assert analyze("保税区项目总投资多少", v).wants_sum
    assert analyze("保税区有多少个项目", v).wants_count


def test_place_after_a_year_is_read_without_the_year_character(assistant):
    q = analyze("到2030年沈阳市新材料产业总产值目标是多少？", assistant.corpus.vocab)
    assert q.unknown_place == "沈阳市"


def test_both_plans_named_together_scope_both_documents(assistant):
    q = analyze("两个规划里2025年的目标分别是多少？", assistant.corpus.vocab)
    assert len(q.doc_ids) == 2


# -- document scope is a preference when only a place word set it --------------------------------

HAICHUAN = """海川市新兴产业发展规划

一、发展基础

海川市地处沿海，新兴产业发展较快。国家已批准云岭县建设6座海上风电场，海川市将为其提供装备配套。

二、发展目标

到2025年，海川市工业总产值达到800亿元。海川市重点发展海洋装备、新材料产业。
"""

YUNLING = """云岭县产业园区建设方案

一、基本情况

云岭县东距杭州180公里，交通便利。云岭县共有产业园区3个。

二、创新平台

海川北方创业基地被认定为市级科技企业孵化器，现有入驻企业46家，毕业企业12家。

三、发展目标

到2025年，云岭县工业总产值达到120亿元。云岭县重点发展农产品加工产业。
"""


def assistant_over(folder: Path, texts: dict[str, str]):
    """An in-memory assistant over text files `folder/<stem>.txt` written from `texts`."""
    from assistant.assistant import Assistant
    from assistant.memory import MemoryIndex
    from ingest.pipeline import parse_document

    docs = []
    for stem, text in texts.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
        docs.append(parse_document(folder / f"{stem}.txt"))
    return Assistant(MemoryIndex(docs))


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory):
    return assistant_over(Path(tmp_path_factory.mktemp("two-plans")),
                          {"haichuan-industry-plan": HAICHUAN, "yunling-parks-plan": YUNLING})


def test_a_place_word_scopes_softly_and_naming_the_plan_scopes_strictly(two_plans):
    v = two_plans.corpus.vocab
    soft = analyze("海川北方创业基地现有入驻企业多少家？", v)
    assert soft.doc_ids == ["haichuan-industry-plan"] and not soft.scope_strict
    strict = analyze("海川规划里海川北方创业基地有多少家入驻企业？", v)
    assert strict.doc_ids == ["haichuan-industry-plan"] and strict.scope_strict


def test_an_entity_named_after_one_city_is_answered_from_the_other_citys_plan(two_plans):
    out = two_plans.ask("海川北方创业基地现有入驻企业多少家？")
    assert not out["abstained"], out["answer"]
    assert "46家" in out["answer"].split("\n", 1)[0]
    assert out["citations"][0]["doc_id"] == "yunling-parks-plan"


def test_a_fact_about_a_place_stated_in_another_plan_is_found(two_plans):
    out = two_plans.ask("国家批准云岭建设几座海上风电场？")
    assert not out["abstained"], out["answer"]
    assert "6座" in out["answer"].split("\n", 1)[0]
    assert out["citations"][0]["doc_id"] == "haichuan-industry-plan"


def test_naming_the_plan_keeps_the_answer_inside_it(two_plans):
    out = two_plans.ask("海川规划里海川北方创业基地有多少家入驻企业？")
    assert out["abstained"] or all(c["doc_id"] == "haichuan-industry-plan" for c in out["citations"])
    assert "46" not in out["answer"].split("\n", 1)[0]


def test_a_city_mentioned_only_in_passing_is_not_a_subject_the_plans_cover(two_plans):
    q = analyze("杭州2025年工业总产值目标是多少？", two_plans.corpus.vocab)
    assert q.unknown_place == "杭州"
    out = two_plans.ask("杭州2025年工业总产值目标是多少？")
    assert out["abstained"] and "“杭州”" in out["answer"]


def test_a_city_as_a_reference_point_is_not_an_unknown_subject(two_plans):
    v = two_plans.corpus.vocab
    assert analyze("云岭距杭州多少公里？", v).unknown_place is None
    assert analyze("到2025年海川工业总产值目标是多少？", v).unknown_place is None


@pytest.mark.parametrize("question", [
    "企业可以通过什么方式向市金融监管局反映融资需求？",  # 向市…局: the city's own bureau
    "《指南》对哪些东西进行焚烧应做好防疫工作？",  # the asked noun, which jieba tags as a place
])
def test_an_asked_noun_or_a_citys_own_bureau_is_no_unknown_place(two_plans, question):
    assert analyze(question, two_plans.corpus.vocab).unknown_place is None


@pytest.mark.parametrize("question,kind", [
    ("热线组建了多少人的专家队伍？", "figure"),
    ("税务总局新出台了几项税收优惠政策？", "figure"),
    ("网上申报率的比例是多少？", "figure"),
    ("缓缴政策什么时候开始施行？", "date"),
    ("捐赠进口物资免征哪几类税费？", "list"),
    ("企业复工需要满足哪些条件？", "list"),
    ("企业达到什么条件可以复工？", "policy"),
    ("如何申请缓缴社会保险费？", "policy"),
    ("外籍人员是否需要隔离？", "yes_no"),
    ("热线由哪个部门负责？", "entity"),
])
def test_answer_type_follows_the_asking_words(question, kind):
    from assistant.query import answer_type

    assert answer_type(match_form(question)) == kind


NOTICE = """关于做好防疫物资发放工作的通知

近日，溪口县设立5个物资发放点，集中发放口罩和消毒液。溪口县居民可凭居住证明就近领取。
"""


def test_a_place_a_short_notice_keeps_naming_is_covered_one_a_plan_names_in_passing_is_not(tmp_path):
    # a plan of ~10,000 characters that names a neighbouring city twice, in passing
    plan = HAICHUAN + "海川市西距临江市90公里。\n" + "海川市推进产业链协同发展，提升园区承载能力和服务水平。\n" * 360 + \
        "临江市游客可乘高铁到达海川市。\n"
    v = assistant_over(tmp_path, {"haichuan-industry-plan": plan, "supplies-notice": NOTICE}).corpus.vocab
    assert analyze("溪口县设立了几个物资发放点？", v).unknown_place is None  # twice in one short notice
    assert analyze("临江市2025年工业总产值目标是多少？", v).unknown_place == "临江市"


SOCIAL = """海川市“十四五”社会事业发展专项规划

一、发展基础

“十三五”期间，社会事业投入持续增加，城乡低保标准从每年5520元提高到8700元。社会事业发展水平不断提高。
"""
FINANCE = """海川市财政发展“十四五”规划

一、发展回顾

“十三五”期间，积极推进城乡低保标准一体化，城乡低保从每年5544元提高到8640元。
"""


@pytest.fixture(scope="module")
def same_place(tmp_path_factory):
    return assistant_over(Path(tmp_path_factory.mktemp("same-place")), {"social-plan": SOCIAL, "finance-plan": FINANCE})


def test_a_title_word_only_one_document_has_narrows_the_scope_to_it(same_place):
    v = same_place.corpus.vocab
    assert analyze("按海川社会事业专项规划，城乡低保标准提高到了多少？", v).doc_ids == ["social-plan"]
    assert set(analyze("海川城乡低保标准提高到了多少？", v).doc_ids) == {"social-plan", "finance-plan"}


def test_a_question_naming_its_document_by_kind_is_answered_from_that_document(same_place):
    out = same_place.ask("按海川社会事业专项规划，“十三五”期间城乡低保标准提高到了多少？")
    assert not out["abstained"], out["answer"]
    assert "8700元" in out["answer"].split("\n")[0] and out["citations"][0]["doc_id"] == "social-plan"


def test_a_compound_measure_is_found_across_an_enumeration_sharing_its_first_half():
    from assistant.question_terms import word_in

    assert word_in("粮食产量", "实现粮食播种面积3320万亩、产量1285万吨以上")
    assert not word_in("粮食产量", "保障粮食安全，提高蔬菜产量")  # another clause, another subject
