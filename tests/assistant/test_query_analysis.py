"""Question analysis: normalisation, years, parks by short forms, document scope, intents."""

from assistant.numbers import canon_number, match_form, numbers_in
from assistant.query import analyze
from assistant.vocab import expand_synonyms, park_core


def test_full_width_spaces_and_chinese_year_are_normalised():
    assert match_form("到 二〇二五年 ＧＤＰ　目标") == "到2025年GDP目标"


def test_numbers_compare_without_commas_or_trailing_zeros():
    assert numbers_in("1,030处计13.21兆瓦，3.0%") == ["1030", "13.21", "3"]
    assert canon_number("0.50") == "0.5"


def test_general_abbreviations_are_written_out():
    assert "规模以上工业" in expand_synonyms("规上工业总产值")
    assert "高新技术企业" in expand_synonyms("高企数量")
    assert "地区生产总值" in expand_synonyms("GDP增速")


def test_park_core_strips_affixes():
    assert park_core("大连循环经济产业区") == "循环"
    assert park_core("大连高新技术产业园区") == "高新"
    assert park_core("大连长兴岛经济技术开发区") == "长兴岛"


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
