"""Citation labels a person can follow: a page only where the document has pages, otherwise the
section path and paragraph; a table row names its row; no two labels alike."""

from __future__ import annotations

from assistant.cite import citation_labels
from ingest.model import Chunk, Section

TEXT = "一、发展目标\n到2030年，产业总产值达到987.6亿元。\n年均增长12%。\n二、重点任务\n建设产业园，面积15平方公里。"


class _Records:
    """The slice of RecordStore that labels read: one document, its sections, chunks."""

    def __init__(self, source: str, pages: int):
        self.info = {"doc_id": "d", "title": "测试规划", "source": source, "pages": pages}
        a = TEXT.index("一、")
        b = TEXT.index("二、")
        self._sections = [
            Section("d#s1", "d", 1, "一、", "发展目标", "一、发展目标", 1, a, b),
            Section("d#s2", "d", 1, "二、", "重点任务", "二、重点任务", 1, b, len(TEXT)),
        ]
        self._chunks = {
            "row": Chunk("row", "d", "测试规划", "表1 | 产值 | 987.6", "table_row", "一、发展目标", 1, 1,
                         meta={"row": 4, "name": "产业总产值"}),
        }

    def document(self, doc_id):
        return self.info if doc_id == "d" else None

    def document_text(self, doc_id):
        return TEXT

    def sections(self, doc_id):
        return self._sections

    def chunk(self, chunk_id):
        return self._chunks.get(chunk_id)


def _cite(n: int, quote: str, section: str = "一、发展目标", chunk_id: str | None = None) -> dict:
    return {"n": n, "doc_id": "d", "doc_title": "测试规划", "section": section, "page": 1, "quote": quote,
            "chunk_id": chunk_id}


def test_a_docx_citation_names_section_and_paragraph_never_page_one():
    records = _Records("/tmp/plan.docx", pages=1)
    labels = citation_labels([_cite(1, "年均增长12%。"), _cite(2, "建设产业园", "二、重点任务")], records)
    assert labels == ["[1] 测试规划 › 一、发展目标 · 第2段", "[2] 测试规划 › 二、重点任务 · 第1段"]
    assert not any("页" in label for label in labels)


def test_a_pdf_citation_keeps_its_page():
    labels = citation_labels([_cite(1, "年均增长12%。")], _Records("/tmp/plan.pdf", pages=1))
    assert labels == ["[1] 测试规划 › 一、发展目标 · 第1页"]


def test_two_citations_of_one_page_get_their_paragraphs():
    records = _Records("/tmp/plan.txt", pages=3)
    labels = citation_labels([_cite(1, "产业总产值达到987.6亿元"), _cite(2, "年均增长12%")], records)
    assert labels == ["[1] 测试规划 › 一、发展目标 · 第1页 · 第1段", "[2] 测试规划 › 一、发展目标 · 第1页 · 第2段"]


def test_a_table_row_citation_names_its_row():
    labels = citation_labels([_cite(1, "产值 987.6", chunk_id="row")], _Records("/tmp/plan.html", pages=1))
    assert labels == ["[1] 测试规划 › 一、发展目标 · 第5行「产业总产值」"]


def test_labels_never_repeat_even_for_quotes_of_one_paragraph():
    records = _Records("/tmp/plan.txt", pages=3)
    cites = [_cite(1, "到2030年"), _cite(2, "产业总产值达到987.6亿元")]
    labels = citation_labels(cites, records)
    bodies = [label.split(" ", 1)[1] for label in labels]
    assert len(set(bodies)) == 2, labels


def test_labels_without_a_store_use_the_page_given():
    assert citation_labels([_cite(3, "x")]) == ["[3] 测试规划 › 一、发展目标 · 第1页"]


def test_answer_json_citations_carry_their_label_and_no_page_without_pages():
    from assistant.cite import locate_citations

    docx = locate_citations([_cite(1, "年均增长12%。")], _Records("/tmp/plan.docx", pages=1))
    assert docx[0]["page"] is None and docx[0]["label"] == "测试规划 › 一、发展目标 · 第2段"
    pdf = locate_citations([_cite(1, "年均增长12%。")], _Records("/tmp/plan.pdf", pages=1))
    assert pdf[0]["page"] == 1 and pdf[0]["label"] == "测试规划 › 一、发展目标 · 第1页"


def test_the_bundled_plain_text_plan_answers_with_paragraph_labels_not_page_one(assistant):
    out = assistant.ask("到2025年庄河市高新技术企业数量目标是多少？")
    assert not out["abstained"] and out["citations"]
    for c in out["citations"]:
        assert c["page"] is None and "页" not in c["label"] and ("段" in c["label"] or "行" in c["label"])


def test_labels_an_answer_carries_are_read_not_recomputed():
    from assistant.cite import locate_citations

    records = _Records("/tmp/plan.docx", pages=1)
    cites = locate_citations([_cite(1, "年均增长12%。"), _cite(2, "建设产业园", "二、重点任务")], records)
    fresh = citation_labels(cites, records, reuse=False)
    assert citation_labels(cites) == fresh  # no records needed: the documents are not read again
    assert fresh == ["[1] 测试规划 › 一、发展目标 · 第2段", "[2] 测试规划 › 二、重点任务 · 第1段"]
