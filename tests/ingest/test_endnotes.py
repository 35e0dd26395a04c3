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


def test_heading_broken_over_two_paragraphs_is_one(tmp_path):
    import docx

    d = docx.Document()
    for text in ["某市政府工作报告", "一、过去一年工作回顾", "全市经济稳中有进。", "三、持续提升政府", "治理效能和服务水平",
                 "坚持依法行政，建设法治政府。"]:
        d.add_paragraph(text)
    d.save(tmp_path / "r.docx")
    doc = parse_document(tmp_path / "r.docx")
    assert [s.path for s in doc.sections] == ["一、过去一年工作回顾", "三、持续提升政府治理效能和服务水平"]


def test_heading_before_a_number_and_a_table_stays_alone(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、发展目标")
    d.add_paragraph(" 12 ")
    t = d.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            t.cell(r, c).text = "0"
    d.save(tmp_path / "t.docx")
    doc = parse_document(tmp_path / "t.docx")
    assert [p.text for p in doc.paragraphs][:2] == ["一、发展目标", "12"]
