"""A report's 名词解释 is a section of its own; review anchors stay in the text, not in matching."""

from __future__ import annotations

from ingest.clean import match_form
from ingest.pipeline import parse_document


def test_glossary_is_its_own_top_level_section(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("某市政府工作报告\n一、过去一年工作回顾\n（一）稳增长\n全市地区生产总值增长5%。\n名词解释\n"
                 "1.“两新”：指新一轮大规模设备更新和消费品以旧换新。\n2.“标准地”：指带标准出让的工业用地。\n",
                 encoding="utf-8")
    doc = parse_document(p)
    glossary = [s for s in doc.sections if s.title == "名词解释"]
    assert len(glossary) == 1 and glossary[0].level == 1
    at = doc.text.index("“标准地”")
    owner = [s for s in doc.sections if s.start <= at < max(s.end, s.start + 1)][-1]
    assert owner.path.startswith("名词解释")


def test_review_anchor_is_kept_verbatim_but_not_matched(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("某规划\n一、目标\n到2030年，全市研发投入强度[U12]达到3%。\n", encoding="utf-8")
    doc = parse_document(p)
    assert "[U12]" in doc.text
    assert match_form("研发投入强度[U12]达到3%") == match_form("研发投入强度达到3%")
