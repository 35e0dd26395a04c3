"""Chunks: section-aware text pieces of ~300-400 characters, one chunk per table row."""

from __future__ import annotations

from ingest import tables
from ingest.chunk import make_chunks
from ingest.model import Document, Paragraph, ProjectRow, Table

SENTENCE = "推进重点产业集群发展，提升产业链供应链现代化水平，打造具有国际竞争力的先进制造业基地。"  # 43 chars


def _doc(paragraphs: list[tuple[str, str]], tables_: list[Table] | None = None) -> Document:
    paras, offset = [], 0
    for text, kind in paragraphs:
        paras.append(Paragraph(text, 3, 3, start=offset, end=offset + len(text), kind=kind))
        offset += len(text) + 1
    text = "\n".join(p.text for p in paras)
    return Document("plan", "测试规划", "plan.txt", "0", text, 3, paragraphs=paras, tables=tables_ or [])


def test_long_section_is_split_on_sentence_ends_with_one_sentence_overlap() -> None:
    body = "".join(f"第{i}项：{SENTENCE}" for i in range(20))  # about 940 characters in one paragraph
    doc = _doc([("一、发展目标", "text"), (body, "text"), ("二、保障措施", "text"), ("强化要素保障。", "text")])
    chunks = make_chunks(doc)
    first = [c for c in chunks if c.section == "一、发展目标"]
    assert len(first) >= 3
    for c in first:
        assert len(c.text) <= 420
        assert c.text == doc.text[c.start:c.end]
        assert c.page_start == c.page_end == 3
    for a, b in zip(first, first[1:], strict=False):
        shared = doc.text[b.start:a.end]
        assert shared.startswith("第") and shared.endswith("。") and shared.count("。") == 1
    assert [c.text for c in chunks if c.section == "二、保障措施"] == ["二、保障措施\n强化要素保障。"]


def test_short_paragraphs_of_one_section_are_packed_together() -> None:
    doc = _doc([("（一）城市简况", "text")] + [(SENTENCE, "text")] * 12)
    chunks = make_chunks(doc)
    assert all(c.section == "（一）城市简况" for c in chunks)
    assert all(250 <= len(c.text) <= 420 for c in chunks[:-1])
    assert "".join(c.text for c in chunks).count(SENTENCE) == 12


def test_section_path_goes_to_meta_not_into_the_text() -> None:
    doc = _doc([("一、发展目标", "text"), ("（一）总体目标", "text"), (SENTENCE, "text")])
    chunk = [c for c in make_chunks(doc) if SENTENCE in c.text][0]
    assert chunk.meta["section"] == "一、发展目标 > （一）总体目标"
    assert "一、发展目标" not in chunk.text


def test_project_rows_become_table_row_chunks_and_unparsed_tables_one_table_chunk() -> None:
    block = "序号 项目名称 所属园区名称 总投资\n1 沈海高速金州互通立交改造工程 大连金普新区 45000"
    raw = "甲 乙\n丙 丁"
    row = ProjectRow("plan", "附件3 重点项目库", "公共基础设施", 1, "沈海高速金州互通立交改造工程", "大连金普新区", None,
                     "2020-2022", 2020, 2022, 45000, None, 3, text="1 沈海高速金州互通立交改造工程 大连金普新区 45000")
    projects = Table("plan", "附件3 重点项目库", "project", 3, 3, text=block, projects=[row])
    unparsed = Table("plan", "表9：其他", "unparsed", 3, 3, text=raw)
    doc = _doc([("附件3 重点项目库", "text"), (block, "table"), ("表9：其他", "text"), (raw, "table")],
               [projects, unparsed])
    chunks = make_chunks(doc)
    rows = [c for c in chunks if c.kind == "table_row"]
    assert len(rows) == 1
    assert rows[0].text == tables.row_text(projects, row)
    assert rows[0].meta["park"] == "大连金普新区" and rows[0].meta["start_year"] == 2020
    assert rows[0].meta["table"] == "附件3 重点项目库"
    assert doc.text[rows[0].start:rows[0].end] == row.text
    whole = [c for c in chunks if c.kind == "table"]
    assert [c.text for c in whole] == [raw]
    # table blocks are never also chunked as text
    assert not any("沈海高速" in c.text for c in chunks if c.kind == "text")


def test_chunk_ids_depend_on_content_only() -> None:
    a = make_chunks(_doc([("一、发展目标", "text"), (SENTENCE, "text"), ("二、任务", "text"), (SENTENCE, "text")]))
    b = make_chunks(_doc([("一、发展目标", "text"), (SENTENCE, "text"), ("二、任务", "text"), (SENTENCE, "text")]))
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)
    assert a[0].id.startswith("plan:text:")
