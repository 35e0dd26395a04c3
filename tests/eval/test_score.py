"""The scoring rules of DESIGN.md: first line, normalisation, numbers by value, abstention, citations."""

import pytest

from eval.score import (
    answer_matches,
    citation_ok,
    cn_to_int,
    evidence_in,
    first_line,
    is_correct,
    normalise,
)


def item(answers, unanswerable=False, evidence="全市规上工业总产值达到300亿元"):
    return {"id": "t", "question": "q", "answers": answers, "unanswerable": unanswerable, "evidence": evidence}


@pytest.mark.parametrize(
    ("gold", "line"),
    [
        ("300亿元", "到2025年，规上工业总产值目标是300亿元。"),
        ("300 亿元", "３００亿元"),  # whitespace and full-width digits
        ("689亿元", "总投资6890000万元"),  # 万元 -> 亿元 by value
        ("6890000万元", "合计689亿元"),
        ("2.11亿吨", "吞吐量21100万吨"),
        ("190万千瓦", "海上风电1900兆瓦"),
        ("3%", "比重达到3.0%"),
        ("3.5%", "增长3.50%"),
        ("3%", "提高到百分之三"),
        ("200家", "规模以上企业数达到200个"),  # measure words are one count family
        ("24个", "共24项"),
        ("100家", "科技型中小企业一百家"),
        ("300亿元", "达到三百亿元"),
        ("300亿元", "达到300亿"),  # a bare 亿 is money
        ("1030处", "1,030处屋顶分布式光伏"),
        ("2025年", "二〇二五年"),
        ("2025年", "到2025"),
        ("2018-2020", "建设期2018年至2020年"),
        ("2018-2020", "2018—2020"),
        ("2018-2020", "2018–2020年"),
        ("2018年-2020年", "2018-2020"),
        ("6.5", "年均增长6.5%"),  # a bare gold number accepts any unit
        ("≥100家", "科技型中小企业达到100家以上"),
        ("≥100家", "不低于100家"),
        ("100家以上", "≥100家"),
        ("100家", "100家以上"),  # gold without a bound ignores the answer's bound
        ("≥40", "外向型企业产值占40%以上"),
        ("30余家", "毕业企业30多家"),
        ("约1181兆瓦", "装机容量1181兆瓦"),
        ("中国贝类产业之都", "庄河市被授予“中国贝类产业之都”称号"),
        ("大连北黄海经济开发区", "大连北黄海 经济开发区"),
        ("食品、清洁能源、机械装备制造", "机械装备制造、食品和清洁能源三大产业"),  # all items, any order
    ],
)
def test_gold_is_found_in_an_equivalent_first_line(gold, line):
    assert answer_matches(gold, line)


@pytest.mark.parametrize(
    ("gold", "line"),
    [
        ("3", "增长32.8%"),  # a number inside another number never counts
        ("3", "2023年"),
        ("3%", "13%"),
        ("300亿元", "1300亿元"),
        ("300亿元", "300.5亿元"),
        ("300亿元", "300万元"),  # same printed number, other scale
        ("300亿元", "300亿美元"),  # other currency
        ("200家", "200亿元"),  # other unit family
        ("3%", "3个百分点"),
        ("≥100家", "100家"),  # a bound in the gold must be stated
        ("≥100家", "100家以下"),
        ("2018-2020", "2018-2021"),
        ("2018-2020", "12018-2020"),
        ("十四五", "十三五"),
        ("食品、清洁能源、机械装备制造", "食品和清洁能源"),
    ],
)
def test_gold_is_not_found_in_a_different_first_line(gold, line):
    assert not answer_matches(gold, line)


def test_names_with_numerals_stay_text():
    assert normalise("“十四五”规划") == "十四五规划"
    assert normalise("三大产业") == "三大产业"
    assert normalise("万家灯火，千家万户") == "万家灯火,千家万户"


def test_chinese_numerals_read_as_numbers():
    assert cn_to_int("三百") == 300
    assert cn_to_int("一千二百万") == 12_000_000
    assert cn_to_int("十五") == 15
    assert cn_to_int("二〇二五") == 2025
    assert cn_to_int("万") is None


def test_only_the_first_line_is_judged():
    assert first_line("300亿元\n详见第二节") == "300亿元"
    assert not is_correct(item(["300亿元"]), "目标如下：\n300亿元", abstained=False)
    assert is_correct(item(["300亿元"]), "规上工业总产值300亿元。\n依据：……", abstained=False)


def test_a_first_line_longer_than_200_characters_is_judged_on_its_first_200():
    padding = "规划" * 100
    assert not is_correct(item(["300亿元"]), padding + "300亿元", abstained=False)


def test_unanswerable_items_are_correct_only_when_abstained():
    gold = item([], unanswerable=True, evidence="")
    assert is_correct(gold, "文档中没有相关信息。", abstained=True)
    assert not is_correct(gold, "300亿元", abstained=False)


def test_an_answerable_item_is_wrong_when_abstained_even_if_the_figure_appears():
    assert not is_correct(item(["300亿元"]), "未找到300亿元的依据", abstained=True)


def test_citation_is_correct_when_a_quote_contains_the_evidence_ignoring_whitespace():
    cites = [{"n": 1, "quote": "力争到 2025 年，全市规上工业总产值达到 300 亿元，年均增长 10%", "chunk_id": "c1"}]
    assert citation_ok("全市规上工业总产值达到300亿元", cites)
    assert not citation_ok("规模以上企业数达到200家", cites)


def test_citation_falls_back_to_the_cited_chunk_text():
    cites = [{"n": 1, "quote": "年均增长 10%", "chunk_id": "c7"}]
    chunks = {"c7": "力争到 2025 年，全市规上工业总产值达到 300 亿元，年均增长 10%"}
    assert not citation_ok("全市规上工业总产值达到300亿元", cites)
    assert citation_ok("全市规上工业总产值达到300亿元", cites, chunk_lookup=chunks.get)


def test_no_citations_or_no_evidence_is_not_a_correct_citation():
    assert not citation_ok("全市规上工业总产值达到300亿元", [])
    assert not citation_ok("", [{"quote": "anything"}])


def test_retrieval_hit_ignores_whitespace_and_width():
    assert evidence_in("总产值达到300亿元", ["全市规上工业\n总产值达到 ３００ 亿元"])
    assert not evidence_in("总产值达到300亿元", ["总产值达到200亿元"])


@pytest.mark.parametrize(
    ("gold", "line"),
    [
        ("45.9MW", "装机45.9兆瓦"),
        ("44493㎡", "建筑面积44493平方米"),
        ("5.8∶42.3∶51.9", "三次产业结构为5.8:42.3:51.9"),
        ("21万", "常住人口21万人"),
        ("28.5万辆", "年产28.5万辆"),
        ("第二个", "第二个"),
    ],
)
def test_ascii_units_ratio_signs_and_more_measure_words(gold, line):
    assert answer_matches(gold, line)


def test_every_gold_answer_of_the_dev_set_matches_itself():
    """The scorer is consistent with the dataset: a verbatim gold answer is always judged correct."""
    from eval.dataset import default_dataset, load_dataset

    path = default_dataset()
    if not path.exists():
        pytest.skip("eval/data/dev.jsonl not built yet")
    golds = {g for it in load_dataset(path) for g in it["answers"]}
    assert golds
    assert [g for g in golds if not answer_matches(g, f"答：{g}。")] == []
