"""A body that arrives as one line gets the section tree its 目录 lists; nothing of it is lost."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.clean import match_form
from ingest.pipeline import parse_document
from ingest.runon import split_by_contents

PLANS_DEV = Path(__file__).resolve().parents[2] / "eval" / "data" / "plans-dev" / "docs"

BODY = ("某市“十五五”民政事业发展规划目 录前 言第一章 发展回顾第一节 主要成就第二节 面临形势第二章 总体要求"
        "第一节 指导思想第二节 发展目标前 言为推动民政事业高质量发展，依据有关规划编制本规划。"
        "第一章 发展回顾第一节 主要成就救助体系更加完善，按照第一章的要求推进各项工作。"
        "第二节 面临形势人口老龄化加快。第二章 总体要求第一节 指导思想坚持以人民为中心。"
        "第二节 发展目标到2030年，养老机构护理型床位占比达到60%。" + "持续完善社会救助体系。" * 60)


def test_headings_glued_to_their_bodies_split_by_the_contents():
    pieces = split_by_contents(BODY)
    assert pieces is not None
    assert "第一节 主要成就" in pieces and "第二节 发展目标" in pieces
    assert "救助体系更加完善，按照第一章的要求推进各项工作。" in pieces  # 第一章 inside a sentence is no heading
    assert match_form("".join(pieces)) == match_form(BODY)


def test_one_line_body_section_tree(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(BODY, encoding="utf-8")
    doc = parse_document(p)
    paths = [s.path for s in doc.sections]
    assert paths[:3] == ["前 言", "第一章 发展回顾", "第一章 发展回顾 > 第一节 主要成就"]
    assert "第二章 总体要求 > 第二节 发展目标" in paths
    assert len(paths) == len(set(paths)), "目录 entries are not sections"
    assert match_form(BODY) in match_form(doc.text)


def test_text_without_contents_is_left_alone():
    line = "按照目录所列事项，" + "逐项推进工作。" * 200
    assert split_by_contents(line) is None


@pytest.mark.parametrize("name", ["doc_pingtan_shehuishiye.txt", "doc_pingtan_shisiwu_gangyao.txt",
                                  "doc_pingtan_caizheng.txt"])
def test_real_one_line_bodies_have_their_contents_headings(name):
    import re

    from ingest.structure import toc_range

    doc = parse_document(PLANS_DEV / name)
    a, b = toc_range(doc.paragraphs)
    listed = [re.sub(r"[\s“”]|(?:[.…·]{2,}|…)\s*\d*$", "", p.text) for p in doc.paragraphs[a + 1:b]]
    assert len(listed) >= 10
    found = {re.sub(r"[\s“”]", "", s.path.rsplit(" > ", 1)[-1]) for s in doc.sections}
    assert sum(e in found for e in listed) >= 0.9 * len(listed)


_WORDS = "发展规划目标产业建设推进实施全面提升创新服务体系工程项目第一章节表专栏"
_SENT = st.builds(lambda a, b: f"{a}，{b}。", st.text(alphabet=st.sampled_from(_WORDS), min_size=3, max_size=30),
                  st.text(alphabet=st.sampled_from(_WORDS), min_size=3, max_size=30))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(sentences=st.lists(_SENT, min_size=4, max_size=12), with_table=st.booleans())
def test_one_line_body_with_contents_and_table_loses_no_character(tmp_path_factory, sentences, with_table):
    """Splitting a one-line body at its 目录's headings and cutting out a run-together table only
    adds line breaks: every character of the body is in Document.text."""
    heads = ["第一章 总体要求", "第一节 发展基础", "第二节 发展目标", "第二章 重点任务"]
    table = ("表1 主要指标序号指标单位2025年2030年属性1某产业增加值亿元5080预期性2某覆盖率%9095约束性"
             if with_table else "")
    body = "".join(h + sentences[i % len(sentences)] + (table if i == 2 else "") for i, h in enumerate(heads))
    text = "某市规划目 录" + "".join(heads) + body + "".join(sentences) * 3
    p = tmp_path_factory.mktemp("d") / "plan.txt"
    p.write_text(text, encoding="utf-8")
    doc = parse_document(p)
    assert Counter(match_form(doc.text)) == Counter(match_form(text))
