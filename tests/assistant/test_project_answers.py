"""Project-list answers: one project's facts, park lists with totals, conflicting stated totals."""

import re

from tests.assistant.conftest import quotes_contain


def test_project_investment_and_park(ask):
    a = ask("沈海高速金州互通立交改造工程总投资多少？")
    assert not a["abstained"]
    assert "45000万元" in a["first"]
    assert quotes_contain(a, "45000")
    assert a["citations"][0]["chunk_id"]


def test_project_detail_question_puts_content_first(ask):
    a = ask("庄河港区客运和客货滚装码头工程岸线多长？")
    assert "139米" in a["first"]


def test_bonded_zone_projects_listed_with_total(ask):
    a = ask("保税区有哪些重点项目？总投资多少？")
    assert not a["abstained"]
    assert "22个" in a["first"] and "1236532万元" in a["first"]
    assert "系统计算" in a["first"]  # the annex sum is shown as computed, next to the stated total
    rows = [x for x in a["answer"].split("\n")[1:] if re.match(r"\d+\. ", x)]
    assert len(rows) >= 20
    assert all("保税区" in r for r in rows)
    # the stated total row and every listed project are cited
    assert quotes_contain(a, "保税区 22 1236532")
    assert len(a["citations"]) >= len(rows)


def test_conflicting_project_counts_both_cited(ask):
    a = ask("示范区重点项目库一共有多少个项目？总投资多少？")
    assert "179" in a["first"] and "178" in a["first"]
    assert "20841119" in a["first"] and "21124119" in a["first"]
    assert quotes_contain(a, "179 20841119")
    assert quotes_contain(a, "21124119")


def test_projects_by_start_year_use_column_header(ask):
    a = ask("2021年开工的项目投资额是多少？")
    assert "3000万元" in a["first"]


def test_nonexistent_project_abstains(ask):
    for q in ("大连新机场项目总投资是多少？", "恒力石化年产250万吨PTA-6项目投资多少？"):
        a = ask(q)
        assert a["abstained"], q
        assert a["first"].startswith("文档中未找到"), q


def test_nonexistent_park_abstains(ask):
    a = ask("深圳高新区有哪些重点项目？")
    assert a["abstained"]
    assert a["first"].startswith("文档中未找到")


def test_other_city_abstains(ask):
    a = ask("沈阳市2025年地区生产总值目标是多少？")
    assert a["abstained"]


def test_largest_project_of_a_park(ask):
    a = ask("保税区的项目里投资最大的是哪个？")
    assert "车载动力电池二期项目" in a["first"] and "303000万元" in a["first"]


def test_short_park_name_with_start_year_is_computed_and_labelled(ask):
    a = ask("循环区2020年开工的项目有几个？")
    assert "系统计算" in a["first"]
    rows = [x for x in a["answer"].split("\n")[1:] if re.match(r"\d+\. ", x)]
    assert rows and all("循环" in r for r in rows)


def test_excluded_part_of_a_name_picks_the_other_project(ask):
    a = ask("中船重工庄河场址Ⅱ（300MW）海上风电项目（不包括陆上集控中心）投资多少？")
    assert "544000万元" in a["first"] and "集控中心项目" not in a["first"]


def test_the_asked_progress_clause_comes_first(ask):
    a = ask("后滩港客运码头及防波堤工程为什么暂停施工？")
    assert "海岛保护调整" in a["first"]
    assert quotes_contain(a, "海岛保护调整")


def test_project_named_without_the_word_project(ask):
    a = ask("三峡庄河Ⅲ海上风电场首批并网发电容量是多少？")
    assert "45.9MW" in a["first"]


def test_a_general_topic_is_not_taken_for_a_project_name(ask):
    a = ask("庄河屋顶分布式光伏发电总规模多少兆瓦？")
    assert "中远" not in a["first"]


def test_group_row_and_category_column_of_the_summary_table(ask):
    a = ask("重点园区的公共服务平台项目有多少个？")
    assert "6个" in a["first"] and "745164" in a["first"]
    assert quotes_contain(a, "重点园区")


def test_start_year_column_is_exact_not_the_earlier_years_column(ask):
    a = ask("2019年开工的项目共多少个？")
    assert "71个" in a["first"] and "83" not in a["first"]


def test_an_attribute_the_project_row_lacks_is_not_answered_with_the_card(ask):
    """The row lists investment, park, years, content and progress — not jobs or tax."""
    for q in ("恒力石化150万吨乙烯项目投产以后可以解决多少人的就业？",
              "沈海高速金州互通立交改造工程每年上缴多少税收？"):
        a = ask(q)
        assert a["abstained"], q
        assert a["first"].startswith("文档中未找到"), q
        assert "总投资" not in a["first"], q
        # the project's own row is offered as the closest evidence
        assert "最接近" in a["answer"] and a["citations"], q


def test_attributes_the_row_holds_are_still_answered_from_it(ask):
    a = ask("恒力石化150万吨乙烯项目的建设年限是哪几年？")
    assert not a["abstained"] and "2018-2019" in a["first"]
    a = ask("庄河港客运站工程的客运站面积有多大？")  # 面积 is in the content column
    assert not a["abstained"] and "6180" in a["first"]
    a = ask("沈海高速金州互通立交改造工程要花多少钱？")
    assert not a["abstained"] and "45000万元" in a["first"]


def test_a_cue_word_inside_the_project_name_is_not_an_asked_attribute(ask):
    a = ask("国产五轴高档数控机床生产能力建设项目在哪个园区？")
    assert not a["abstained"]
    assert "大连经济技术开发区" in a["first"]


def test_projects_of_one_owner_are_listed_with_a_computed_total(ask):
    a = ask("项目库里属于恒力石化的项目都有哪些？")
    assert not a["abstained"]
    assert "系统计算" in a["first"] and "共4个" in a["first"]
    rows = [x for x in a["answer"].split("\n")[1:] if re.match(r"\d+\. ", x)]
    assert len(rows) == 4 and all("恒力石化" in r for r in rows)
    assert len(a["citations"]) >= 4  # every summed row is cited


def test_projects_of_a_field_are_found_by_name_or_content(ask):
    a = ask("跟氢能有关的项目有几个？")
    assert "共1个" in a["first"] and "欢乐山谷" in a["first"]
    assert quotes_contain(a, "欢乐山谷")


def test_generic_words_and_parks_do_not_make_a_keyword_list(ask):
    a = ask("有哪些建设项目？")
    assert "含“" not in a["first"]
    a = ask("保税区有哪些项目？")
    assert "含“" not in a["first"] and "保税区" in a["first"]
