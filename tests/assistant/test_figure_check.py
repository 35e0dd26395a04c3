"""A yes/no question that states a figure is answered with the document's figure and a verdict."""

from assistant.figure_check import figure_check


def test_stated_figure_becomes_the_asked_figure():
    c = figure_check("2025年规上工业总产值目标是999亿元吗？")
    assert c is not None and c.stated == [999e8]
    assert "多少亿元" in c.question and "999" not in c.question and "吗" not in c.question
    assert "2025年" in c.question  # the year is time, not a stated figure


def test_years_ranges_and_names_are_not_stated_figures():
    assert figure_check("2021-2025年累计投资多少？") is None
    assert figure_check("5G基站是否全覆盖？") is None
    assert figure_check("2025年GDP增速目标是多少？") is None  # no yes/no


def test_a_wrong_stated_figure_is_answered_with_the_documents_figure(ask):
    a = ask("到2025年庄河规上工业总产值目标是999亿元吗？")
    assert not a["abstained"]
    assert a["first"].startswith("否") and "300亿元" in a["first"] and "999" not in a["first"]


def test_a_right_stated_figure_is_confirmed(ask):
    a = ask("到2025年庄河规上工业总产值目标是300亿元吗？")
    assert a["first"].startswith("是") and "300亿元" in a["first"]


def test_open_questions_with_model_numbers_are_no_checks():
    assert figure_check("某石化PTA-5项目计划什么时候建成？") is None
    assert figure_check("2025年目标是什么？") is None
