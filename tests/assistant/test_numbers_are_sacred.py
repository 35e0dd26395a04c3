"""Every figure on an answer's first line is backed by a quote; quotes are the document's own text."""

from assistant.cite import DocText, unsupported_numbers


def test_unquoted_number_is_reported():
    assert unsupported_numbers("投资为999亿元", ["投资为 300 亿元"]) == ["999"]
    assert unsupported_numbers("投资为300亿元[1]", ["投资为 300 亿元"]) == []


def test_computed_bracket_and_table_names_are_not_figures():
    line = "保税区共有22个项目（表4）（系统计算：附件3逐项统计21个项目，合计933532万元）"
    assert unsupported_numbers(line, ["保税区 22 1236532"]) == []


def test_verbatim_quote_ignores_whitespace_and_width():
    doc = DocText("力争到 2025 年，全市规上工业总产值\n达到 300 亿元。")
    assert doc.verbatim("到2025年，全市规上工业总产值达到300亿元") is not None
    assert doc.verbatim("到2026年") is None


def test_row_printed_in_two_halves_comes_back_as_two_quotes():
    doc = DocText("年份 GDP 人均\n2013 7267 103814\n年份 出口额\n2013 367.5\n")
    pieces = doc.segments("2013 7267 103814 367.5")
    assert pieces[0] == "2013 7267 103814"
    assert "367.5" in pieces[-1]


def test_first_lines_of_structured_answers_pass_the_check(ask):
    for q in ("保税区有哪些重点项目？总投资多少？", "到2025年庄河规上工业总产值要达到多少？",
              "2013年大连出口额多少亿美元？", "长兴岛开发区有多少个项目"):
        a = ask(q)
        assert not unsupported_numbers(a["first"], [c["quote"] for c in a["citations"]]), a
