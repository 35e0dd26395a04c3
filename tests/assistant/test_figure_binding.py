"""Which figure answers: items paired with values by 分别, unit-less figures, run-together cells,
and an ask that names only its document."""

from assistant.binding import bind, respectively
from assistant.cite import unsupported_numbers
from assistant.numbers import match_form
from assistant.premise import _names_no_measure
from assistant.query import Query


def test_respectively_pairs_the_asked_item_with_its_value():
    s = "每千常住人口医疗卫生机构床位数、执业（助理）医师、注册护士分别为6.10张、3.05人、3.42人，每万常住人口全科医生为3人。"
    item, value, _ = respectively(s, "2025年每千人口执业（助理）医师数目标是多少")
    assert item == "执业（助理）医师" and value == "3.05人"
    assert respectively("服务业比重从50.2%提高到53.3%", "服务业比重提高了多少") is None


def test_a_unit_less_figure_binds_when_the_question_names_no_unit():
    b = bind("标识注册总量要突破多少", "实现标识注册总量突破5亿")
    assert b.clause is not None and "5亿" in b.clause


def test_a_figure_in_the_asked_unit_binds_before_a_unit_less_one():
    b = bind("退票票面金额为多少", "中外航空公司共办理退票超过2000万张，票面金额超过200亿元")
    assert b.clause is not None and "200亿元" in b.clause


def test_a_cell_read_from_a_run_together_row_is_a_quoted_figure():
    quote = "2旅游总收入亿元5015024.6%预期性"
    assert unsupported_numbers("旅游总收入目标为150亿元", [quote]) == ["150"]
    assert unsupported_numbers("旅游总收入目标为150亿元", [quote], ["150"]) == []


def test_an_ask_naming_only_its_document_has_no_measure_of_its_own():
    ask = Query(raw="", norm="", expanded="", scope_words=["某市"])
    assert _names_no_measure("某市2025年报告给出的数字是多少？", ask)
    assert not _names_no_measure("某市2025年报告中粮食产量是多少？", ask)


def test_a_change_question_binds_the_figure_the_change_verb_states():
    s = "服务业占GDP的比重从2015年的50.2%，提高到2016年的53.3%，提高3.1个百分点，成为我区经济增长的主要动力。"
    got = bind(match_form("2016年服务业占GDP的比重比2015年提高了多少？"), s)
    assert got.clause is not None and got.clause.endswith("提高3.1个百分点")
    rate = "全市规上工业增加值增长8.5%，增速比上年提高1.2个百分点。"
    assert bind(match_form("规上工业增加值增长了多少？"), rate).clause.endswith("增长8.5%")
    assert "提高1.2个百分点" in bind(match_form("增速比上年提高了多少？"), rate).clause


def test_an_income_question_is_not_answered_by_a_spending_figure():
    spending = "一般公共预算和政府性基金合计支出661.54亿元，是上一个五年的1.57倍"
    assert bind("一般公共预算总收入合计多少", match_form(spending)).clause is None
    income = "全区一般公共预算总收入310.86亿元，是上一个五年的3.67倍"
    b = bind("一般公共预算总收入合计多少", match_form(income))
    assert b.clause is not None and "310.86亿元" in b.clause


def test_a_clause_naming_its_own_measure_does_not_borrow_the_previous_clauses():
    s = match_form("过去五年，全省地区生产总值年均增长6.8%，累计减税降费1200亿元，建成高速公路1500公里。")
    assert bind("去年全省地区生产总值是多少", s).clause is None  # 1200亿元 is 减税降费's
    b = bind("去年全省地区生产总值是多少", match_form("全省地区生产总值达到2.8万亿元，增长3.6%"))
    assert b.clause is not None and "2.8万亿元" in b.clause
