"""The bundled corpus parses into the structure a reader of the printed plans sees."""

from __future__ import annotations

import re
import time

import pytest

from ingest.clean import match_form
from ingest.model import Document
from ingest.pipeline import BUNDLED_CORPUS, parse_document
from ingest.structure import assign_sections

DALIAN = "dalian-coastal-transformation-2019"
ZHUANGHE = "zhuanghe-industry-tech-14th-fyp-2022"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {d: parse_document(BUNDLED_CORPUS / f"{d}.txt") for d in (DALIAN, ZHUANGHE)}


def _raw_page(doc_id: str, passage: str) -> int:
    """Page of a passage counted straight from the raw file: a page starts with a line that
    begins with one space (the first line of the file starts page 1)."""
    page = 0
    for line in (BUNDLED_CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n"):
        if line.startswith(" ") and line.strip():
            page += 1
        if passage in line:
            return max(page, 1)
    raise AssertionError(f"passage not in raw file: {passage}")


def _page_of(doc: Document, passage: str) -> int:
    at = doc.text.index(passage)
    para = next(p for p in doc.paragraphs if p.start <= at < p.end)
    return para.page_at(at - para.start)


def test_titles(docs: dict[str, Document]) -> None:
    assert docs[DALIAN].title == "大连沿海产业转型升级示范区建设方案"
    assert docs[ZHUANGHE].title == "庄河市工业经济和科技发展“十四五”规划"


def test_every_heading_level_of_both_documents_is_found(docs: dict[str, Document]) -> None:
    dalian = {s.path for s in docs[DALIAN].sections}
    assert "一、总体情况 > （一）城市简况" in dalian
    assert ("三、示范区探索的重点领域和重点任务 > （二）重点建设任务 > 1、保持定力、一以贯之，持续推进产业转型升级"
            " > （1）着力推进传统制造业转型升级") in dalian
    assert "四、园区建设 > （一）示范园区 > 1、大连经济技术开发区 > （3）重点任务" in dalian
    assert "二、示范区建设总体思路 > （三）近中期目标 > 2、中期目标 > 表 3：产业转型升级示范区目标指标表" in dalian
    assert "附件 3产业转型升级示范区重点项目库" in dalian
    zhuanghe = {s.path for s in docs[ZHUANGHE].sections}
    assert "三、实施工业强市战略 > （一）做大做强三大基础产业 > 1. 食品工业 > ①发展方向" in zhuanghe
    assert "四、实施科技兴市战略 > （四）优化科技创新生态环境 > 2. 大力培育创新文化" in zhuanghe
    top = [s.title for s in docs[ZHUANGHE].sections if s.level == 1]
    assert top == ["发展现状与面临形势", "指导思想、基本原则和发展目标", "实施工业强市战略", "实施科技兴市战略", "保障措施"]
    strategy = [s for s in docs[ZHUANGHE].sections if s.path.startswith("三、实施工业强市战略 > ") and s.level == 2]
    assert [s.marker for s in strategy] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）"]


def test_all_numbered_headings_of_the_raw_files_become_sections(docs: dict[str, Document]) -> None:
    marker = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[、.．]\s*[\u4e00-\u9fff]|（\d{1,2}）|[①-⑳])")
    for doc_id, doc in docs.items():
        titles = {match_form(s.path.rsplit(" > ", 1)[-1]) for s in doc.sections}
        raw = (BUNDLED_CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")
        toc_end = next((i for i, ln in enumerate(raw) if ln.strip() == "（一）“十三五”发展回顾"), 0)
        for line in raw[toc_end:]:
            line = line.strip()
            if not marker.match(line) or "\t" in line or len(line) > 26 or re.search(r"\d{3,}", line):
                continue  # long lines are wrapped run-in headings; numeric ones are table cells
            assert any(t.startswith(match_form(line)[:12]) for t in titles), (doc_id, line)


def test_table_of_contents_is_not_parsed_as_sections(docs: dict[str, Document]) -> None:
    doc = docs[ZHUANGHE]
    toc_at = doc.text.index("目 录")
    assert all(s.start > toc_at for s in doc.sections)
    assert sum(1 for s in doc.sections if s.title == "发展现状与面临形势") == 1
    assert sum(1 for s in doc.sections if s.title.startswith("加强政务服务保障")) == 1
    assert not any("目 录" in c.text for c in doc.chunks)
    first = doc.sections[0]
    assert doc.text[first.start:].startswith("一、发展现状与面临形势\n（一）“十三五”发展回顾")


def test_no_chunk_crosses_a_section_boundary(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        sections, owner = assign_sections(doc.doc_id, doc.paragraphs)
        for chunk in doc.chunks:
            if chunk.kind != "text":
                continue
            owners = {owner[i] for i, p in enumerate(doc.paragraphs) if p.start < chunk.end and chunk.start < p.end}
            assert len(owners) == 1, chunk.id
            (own,) = owners
            assert chunk.section == (sections[own].path if own is not None else "")
            assert chunk.meta["section"] == chunk.section


def test_chunk_text_is_verbatim_document_text(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        for chunk in doc.chunks:
            if chunk.kind in ("text", "table"):
                assert doc.text[chunk.start:chunk.end] == chunk.text
        sizes = [len(c.text) for c in doc.chunks if c.kind == "text"]
        assert max(sizes) <= 500
        assert sum(sizes) / len(sizes) >= 120


def test_long_paragraphs_are_split_on_sentence_ends_with_overlap(docs: dict[str, Document]) -> None:
    doc = docs[DALIAN]
    text = [c for c in doc.chunks if c.kind == "text"]
    overlapping = [(a, b) for a, b in zip(text, text[1:], strict=False) if b.start < a.end]
    assert overlapping
    assert any(a.section.endswith("3、大连保税区 > （1）基本情况") for a, _ in overlapping)
    for a, b in overlapping:
        assert a.section == b.section
        assert a.text[-1] in "。！？；"  # pieces end at a sentence end
        shared = doc.text[b.start:a.end]
        assert a.text.endswith(shared) and b.text.startswith(shared)
        assert shared[-1] in "。！？；" and not re.search(r"[。！？；]", shared[:-1])  # exactly one sentence


def test_chunk_ids_are_stable_and_unique(docs: dict[str, Document]) -> None:
    again = parse_document(BUNDLED_CORPUS / f"{ZHUANGHE}.txt")
    assert [c.id for c in again.chunks] == [c.id for c in docs[ZHUANGHE].chunks]
    for doc in docs.values():
        ids = [c.id for c in doc.chunks]
        assert len(ids) == len(set(ids))
        assert all(i.startswith(f"{doc.doc_id}:") for i in ids)


@pytest.mark.parametrize("passage", [
    "大连市是我国北方沿海和东北地区重要中心城市",
    "（4）进一步推进产业集群建设",
    "控等大气短板方面取得突破",
    "新兴产业培育、基础设施建设、公共服务平台和创新能力提",
    "附件 3产业转型升级示范区重点项目库",
    "业城市现代产业体系构建",
])
def test_page_numbers_match_the_page_breaks_of_the_raw_file(docs: dict[str, Document], passage: str) -> None:
    assert _page_of(docs[DALIAN], passage) == _raw_page(DALIAN, passage)


def test_text_chunks_carry_the_pages_of_their_passages(docs: dict[str, Document]) -> None:
    doc = docs[DALIAN]
    chunk = next(c for c in doc.chunks if "控等大气短板方面取得突破" in c.text)
    assert chunk.page_start <= _raw_page(DALIAN, "控等大气短板方面取得突破") <= chunk.page_end
    assert doc.pages == 93
    assert docs[ZHUANGHE].pages == 1


def test_running_header_and_page_numbers_are_gone(docs: dict[str, Document]) -> None:
    doc = docs[DALIAN]
    assert "大连沿海产业转型升级示范区建设方案" not in doc.text
    # the paragraph cut by the header block is joined again
    assert "支持传统产业提升、新兴产业培育、基础设施建设" in doc.text
    assert "争在非道路移动源污染管控、扬尘精细化管理和臭氧污染管控等大气短板方面取得突破" in doc.text
    assert not any(re.fullmatch(r"\d{1,3}", p.text) for p in doc.paragraphs if p.kind == "text")


def test_footnote_is_its_own_paragraph_and_does_not_glue(docs: dict[str, Document]) -> None:
    doc = docs[DALIAN]
    notes = [p for p in doc.paragraphs if p.text.startswith("1 2013年 8月，习近平总书记视察辽宁时")]
    assert len(notes) == 1 and notes[0].page_start == 1 and notes[0].kind == "footnote"
    assert "12013" not in doc.text
    assert "加快推进“两先区”1建设" in doc.text
    assert "力争为老工业城市现代产业体系构建和可持续发展做出示范" in doc.text


def test_tab_table_of_the_long_line_document_is_kept_line_by_line(docs: dict[str, Document]) -> None:
    doc = docs[ZHUANGHE]
    assert "经济总量\t全部工业总产值\t亿元\t385\t750\t预期性\n" in doc.text
    assert "（一）“十三五”发展回顾\n工业经济实力显著提升。" in doc.text


def test_parsing_both_documents_is_fast() -> None:
    t = time.perf_counter()
    for d in (DALIAN, ZHUANGHE):
        parse_document(BUNDLED_CORPUS / f"{d}.txt")
    assert time.perf_counter() - t < 2.0
