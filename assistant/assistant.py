"""The assistant: question in, answer JSON (DESIGN.md) out.

Order of work for one question: input checks → analysis → structured answer from table rows
(aggregate / project / indicator) → extractive answer from retrieved chunks → choose → optional LLM
rewrite (checked) → numbers check on the first line → JSON. Never raises for user input.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from pathlib import Path
from typing import Any

from assistant.answer_lines import MAX_FIRST_LINE, answer_lines
from assistant.binding import contradicts_kind
from assistant.cite import Answer, Evidence, locate_citations, unsupported_numbers
from assistant.corpus import Corpus
from assistant.examples import vague_reply
from assistant.extractive import SentenceScorer, abstain, answer_extractive
from assistant.facts import FactVectors, answer_from_facts
from assistant.figure_check import figure_check
from assistant.injection import guard as guard_injection
from assistant.llm import LLMConfig, build_messages, check_reply, complete, safe_sources
from assistant.numbers import match_form
from assistant.outline import answer_outline
from assistant.policy import TYPED_SHAPES, answer_policy, wants_policy_span
from assistant.premise import focus
from assistant.query import Query, analyze, asks_short_fact, is_policy_question
from assistant.structured import (
    RowLacksAttribute,
    answer_aggregate,
    answer_compare,
    answer_indicator,
    answer_keyword_list,
    answer_project,
    answer_superlative,
    contradicts,
    named_project,
)
from assistant.table_cells import answer_table_cell
from ingest.model import Chunk
from ingest.profile import PLAN_DOC_TYPES

log = logging.getLogger(__name__)
MODES = ("auto", "structured", "extractive", "llm")
# answer figure questions from prose fact records before searching text (assistant/facts.py):
# on since the fact's sentence (not its bare measure) and the index's embedder judge the match —
# dev splits: plans-dev 0.927 → 0.942, seed and ncpqa-dev unchanged
FACTS_FIRST = True
SCOPED_SEARCH_DOCS = 3  # a question naming at most this many documents also searches within them
# A document whose profile doc_type is none of the plan and report kinds (ingest.profile.PLAN_DOC_TYPES:
# 规划/纲要/方案/计划/报告, whose figures the indicator and figure-clause paths read with their measure
# and year) is *narrative*: a notice, a news item, a letter, a text without a title.  An answer from
# such a document is given as its span (assistant/policy.py): the question paraphrases the sentence,
# and the span cuts where the question has its wh word; a figure or a date only from the sentence the
# flow checked or as a typed clause.  ncpqa-dev dev split: ROUGE-L 0.393 → 0.418 with doc_type 其他,
# → 0.445 with typed clauses, → 0.454 with untitled documents too; seed and plans-dev hold only plans and reports.


# fact-context embeddings kept per process: ~30 MB of 384-dimension vectors
FACT_VECTORS = 20_000


class Assistant:
    def __init__(self, index: Any):
        """`index` has `.records` (RecordStore-like) and `.search(query, k, filters, mode)`."""
        self.index = index
        tokenizer = getattr(index, "tokenizer", None)  # the index's own jieba instance
        self.corpus = Corpus(index.records, tokenizer)
        self.scorer = SentenceScorer(self.corpus.chunk_list, self.corpus.tokenizer)
        self.corpus.idf = self.scorer.idf
        self.scorer.scope_words = {k for sc in self.corpus.vocab.scopes for k in sc.keywords if len(k) >= 2}
        self.llm_config = LLMConfig.from_env()
        # fact context → embedding (assistant/facts.py): stored by ingest in the index, recently
        # used ones kept here; bounded: one entry per fact would grow with the corpus (~1.5 KB each)
        self._fact_vectors = FactVectors(index.records, FACT_VECTORS)

    @classmethod
    def open(cls, index_dir: Path | str | None = None) -> Assistant:
        from index.store import Index

        return cls(Index.ensure(Path(index_dir) if index_dir else None))

    # -- public ------------------------------------------------------------------------------
    def ask(self, question: str, mode: str = "auto", top_k: int = 5) -> dict:
        t0 = time.perf_counter()
        try:
            ans = self._answer(question, mode, top_k)
        except Exception as e:  # a bug must not reach the user as a traceback
            log.exception("ask failed")
            ans = Answer([f"内部错误，无法回答该问题：{type(e).__name__}"], abstained=True, mode="extractive")
        out = {
            "question": question if isinstance(question, str) else str(question),
            "answer": "\n".join(fit_first_line(ans.lines)),
            "abstained": ans.abstained,
            "mode": ans.mode,
            "citations": locate_citations([ev.to_json(i) for i, ev in enumerate(_dedupe(ans.evidence), 1)],
                                          self.index.records),
            "latency_ms": round((time.perf_counter() - t0) * 1000, 1),
        }
        return guard_injection(out)  # a document's instruction-like sentence is never stated as fact

    # -- internals ---------------------------------------------------------------------------
    def _answer(self, question: str, mode: str, top_k: int) -> Answer:
        check = figure_check(question)  # 「…是999亿元吗？」 asks what the figure is
        if check is None:
            return self._answer_asked(question, mode, top_k)
        return check.verdict(self._answer_asked(check.question, mode, top_k))

    def _answer_asked(self, question: str, mode: str, top_k: int) -> Answer:
        if mode not in MODES:
            return Answer([f"未知的回答模式：{mode}（可选 {'/'.join(MODES)}）"], abstained=True, mode="extractive")
        q = focus(analyze(question, self.corpus.vocab), self.corpus.vocab)  # a premise is context
        if q.problem:
            return Answer([q.problem], abstained=True, mode="extractive")
        if vague := vague_reply(q.raw, self.index.records):  # 「发展得怎么样？」 names nothing to look up
            return Answer(vague, abstained=True, mode="extractive")
        if q.unknown_place:
            placed = self._answer_about_place(q, mode, top_k)
            if placed is not None:
                return placed
            return Answer([f"文档中未找到关于“{q.unknown_place}”的内容。",
                           "已索引的文件：" + "；".join(self.corpus.title(d) for d in self.corpus.docs)],
                          abstained=True, mode="extractive")
        scoped = self._answer_query(q, mode, top_k)
        if q.doc_ids and not q.scope_strict and scoped.abstained:
            # the scope came from a place word (某县, or 某市 inside 某市北方…基地), not from naming a
            # plan: another plan may state the fact about that place; take it only if its quote does
            wide = self._answer_query(dataclasses.replace(q, doc_ids=[]), mode, top_k)
            if not wide.abstained and wide.confidence >= 0.6 and wide.evidence and \
                    any(w in match_form(wide.evidence[0].quote) for w in q.scope_words):
                return wide
        return scoped

    def _answer_about_place(self, q: Query, mode: str, top_k: int) -> Answer | None:
        """The answer to a question naming a place no document is about (no title names it, the
        texts mention it only in passing), when the question does not ask for a figure or a date
        and the answering document itself names the place: a short notice or news item names its
        place in passing.  A figure of a place the documents are not about is never given."""
        if asks_short_fact(q) or q.unknown_place is None:
            return None
        got = self._answer_query(q, mode, top_k)
        place = re.sub(r"(省|市|县|区)$", "", q.unknown_place)
        if got.abstained or len(place) < 2 or not got.evidence:
            return None
        text = self.corpus.texts.get(got.evidence[0].doc_id)
        return got if text is not None and place in text.form else None

    def _answer_query(self, q: Query, mode: str, top_k: int) -> Answer:
        structured = None if mode == "extractive" else self._structured(q)
        if structured is not None and not structured.abstained and contradicts_kind(q.norm, structured.lines[0]):
            structured = None  # a table share does not answer an amount question (nor a blank one 多少亿元)
        if mode == "structured":
            if structured is None:
                structured = abstain(q, [], "表格中没有与问题对应的行")
                structured.mode = "structured"
            return self._checked(structured)
        if mode == "auto" and self.llm_config is None and structured is not None and \
                not structured.abstained and structured.confidence >= 0.8:
            return self._checked(structured)  # a confident table answer needs no retrieval
        if FACTS_FIRST and mode in ("auto", "extractive") and self.llm_config is None and \
                (structured is None or structured.abstained):
            # facts first: a prose target matching measure (words and the index's embedder), time, scope
            fact = answer_from_facts(q, self.corpus, self.index, self._fact_vectors)
            if fact is not None:
                return self._checked(fact)
        hits, plain = self._search(q, top_k)
        extractive = answer_extractive(q, hits, self.scorer, self.corpus)
        chosen = self._choose(q, structured, extractive) if mode != "extractive" else extractive
        chosen = self._checked(chosen, fallback=extractive)
        if mode in ("auto", "extractive"):
            chosen = self._with_policy_span(q, chosen, plain)
        if mode == "llm" or (mode == "auto" and self.llm_config is not None):
            return self._llm(q, chosen, hits)
        return chosen

    def _with_policy_span(self, q: Query, chosen: Answer, hits: list[Chunk]) -> Answer:
        """The document span instead of `chosen` where the question's answer type or the answering
        document's kind calls for it (`policy.wants_policy_span`).  A span replaces a sentence answer
        that is not a policy question only from the same document."""
        doc = chosen.evidence[0].doc_id if chosen.evidence and not chosen.abstained else None
        narrative = doc is not None and self._narrative(doc)
        if chosen.abstained and asks_short_fact(q):
            return self._typed_span(q, chosen, hits)
        if not wants_policy_span(q, chosen, narrative):
            return chosen
        span = answer_policy(q.raw, q, hits, self.index)
        if span is not None and doc is not None and not is_policy_question(q) and \
                not any(_same_passage(ev, chosen.evidence[0], asks_short_fact(q)) for ev in span.evidence) and \
                not (narrative and (span.shape in TYPED_SHAPES or not asks_short_fact(q))):
            return chosen  # a figure from another sentence only as a narrative document's typed clause
        return self._checked(span, fallback=chosen)

    def _typed_span(self, q: Query, refused: Answer, hits: list[Chunk]) -> Answer:
        """A refused figure or date question is answered only by a narrative document's clause that
        stands where the question has its wh word or holds a value of the asked kind (a notice
        states 共设立200个发热门诊 without the measure and period words a plan's figure check
        needs); a plan's or a report's figure stays refused.  ncpqa-dev dev split: ROUGE-L
        +0.017 (17 of 31 refusals); seed and plans-dev hold no narrative documents."""
        span = answer_policy(q.raw, q, hits, self.index, shapes=TYPED_SHAPES)
        if span is None or not span.evidence or \
                not self._narrative(span.evidence[0].doc_id):
            return refused
        return self._checked(span, fallback=refused)

    def _narrative(self, doc_id: str) -> bool:
        return self._doc_type(doc_id) not in PLAN_DOC_TYPES

    def _doc_type(self, doc_id: str) -> str:
        profile = self.corpus.profiles.get(doc_id)
        field = getattr(profile, "doc_type", None)
        return getattr(field, "value", "") or ""

    def _structured(self, q: Query) -> Answer | None:
        proj = answer_project(q, self.corpus)
        named = named_project(q, self.corpus)
        if proj is not None and proj.confidence >= 0.75 and not (q.wants_count or q.wants_list):
            return proj
        listed = None if proj is not None and proj.confidence >= 0.75 else answer_keyword_list(q, self.corpus)
        if listed is not None:
            return listed  # 恒力石化的项目有哪些: rows holding the owner or keyword
        if named and proj is None:
            return Answer([f"文档中未找到名为“{named}”的项目。",
                           "项目库（重点项目表）中没有与该名称相符的项目；可用 planqa projects 查看全部项目。"],
                          abstained=True, confidence=0.45)  # the body text may still discuss it
        if q.compound_park:
            return Answer([f"文档中未找到“{q.compound_park}”的项目或数据。",
                           "项目表按园区列出项目，其中没有这个名称。"], abstained=True, confidence=0.5)
        best = None if named else answer_superlative(q, self.corpus)
        if best is not None:
            return best
        agg = None if named else answer_aggregate(q, self.corpus)
        if agg is not None:
            return agg
        if proj is not None:
            return proj
        outline = answer_outline(q, self.corpus)
        if outline is not None:
            return outline
        if len(q.doc_ids) >= 2 and (q.wants_compare or self.corpus.vocab.named_apart(q.norm, q.doc_ids)):
            # two documents compared only when the question names each (或 分别/比较): two notices
            # sharing one place word are one scope, not a comparison
            both = answer_compare(q, self.corpus)
            if both is not None:
                return both
        indicator = answer_indicator(q, self.corpus)
        if indicator is None or indicator.abstained:
            return answer_table_cell(q, self.corpus) or indicator
        return indicator

    def _search(self, q: Query, top_k: int) -> tuple[list[Chunk], list[Chunk]]:
        """The hits with the named documents' own passages first, and the plain hits: the policy
        span weighs the documents itself (`policy.doc_coverage`), and a place word the question
        shares with many titles would put one of them first (ncpqa-dev dev split: 0.473 → 0.480)."""
        k = max(top_k, 12)
        try:
            hits = plain = self.index.search(q.raw, k=k, filters={"kind": "text"})
            if q.doc_ids and len(q.doc_ids) <= SCOPED_SEARCH_DOCS:
                # the documents the question names get their own best passages (a preference:
                # the unscoped ones stay after them); BM25 only, so the query is embedded once
                scoped = self.index.search(q.raw, k=k, filters={"kind": "text", "doc_id": list(q.doc_ids)},
                                           mode="bm25")
                seen = {h.chunk.id for h in scoped}
                hits = scoped + [h for h in hits if h.chunk.id not in seen]
        except (TypeError, ValueError, KeyError):
            hits = plain = self.index.search(q.raw, k)
        return [h.chunk for h in hits], [h.chunk for h in plain]

    def _choose(self, q: Query, s: Answer | None, e: Answer) -> Answer:
        if s is None:
            return e
        if s.abstained:
            # the table lacks the value (or the project list the name); the text may still state it
            floor = 0.5 if s.confidence < 0.5 else 0.6
            if not e.abstained and e.confidence >= floor and (q.years or s.confidence <= 0.5):
                if isinstance(s, RowLacksAttribute) and not s.supported_by(e.lines[0]):
                    return s  # the text answers something else than this project's attribute
                named = named_project(q, self.corpus)
                if not (named and e.evidence and contradicts(named, e.evidence[0].quote)):
                    return e
            return s
        if s.confidence >= 0.75 or e.abstained:
            return s
        return e if e.confidence > s.confidence + 0.1 else s

    @staticmethod
    def _checked(a: Answer | None, fallback: Answer | None = None) -> Answer:
        """NUMBERS ARE SACRED: a first line with a figure no quote holds is not given out."""
        if a is None:
            return fallback or Answer(["文档中未找到该问题的答案。"], abstained=True, mode="extractive")
        if a.abstained:
            return a
        bad = unsupported_numbers(a.lines[0], [ev.quote for ev in a.evidence],
                                  [c for ev in a.evidence for c in ev.cells])
        if not bad:
            return a
        log.warning("first line has unquoted numbers %s: %s", bad, a.lines[0])
        if fallback is not None and fallback is not a:
            return Assistant._checked(fallback)
        return Answer([f"文档中未找到可核对的答案（数字{bad[0]}未能在原文引用中核对）。"], abstained=True,
                      mode=a.mode)

    def _llm(self, q: Query, base: Answer, hits: list[Chunk]) -> Answer:
        if self.llm_config is None:
            base.lines.append("（未配置 LLM：设置 PLANQA_LLM_BASE_URL 和 PLANQA_LLM_MODEL 后可用，已给出抽取式回答）")
            return base
        sources = list(base.evidence)[:6]  # a long project list is summarised by its first rows
        for c in hits[:5]:
            if not any(ev.chunk_id == c.id for ev in sources):
                ev = self.corpus.chunk_evidence(c, c.text)
                if ev is not None:
                    sources.append(ev)
        sources = safe_sources(sources)
        if not sources:
            return base
        try:
            reply = complete(self.llm_config, build_messages(q.raw, sources))
        except Exception as e:  # endpoint down, timeout, bad reply format
            base.lines.append(f"（LLM 调用失败：{type(e).__name__}，已改用{_mode_name(base)}回答）")
            return base
        checked = check_reply(reply, sources)
        if not checked.ok:
            base.lines.append(f"（LLM 回答未通过核对：{checked.reason}，已改用{_mode_name(base)}回答）")
            return base
        if checked.lines[0].startswith("文档中未找到"):
            return Answer(checked.lines, [], abstained=True, mode="llm")
        # renumber the cited sources 1..n in the order the reply used them
        order = {old: new for new, old in enumerate(checked.cited, 1)}
        lines = [re.sub(r"\[(\d{1,3})\]", lambda m: f"[{order[int(m.group(1))]}]", x) for x in checked.lines]
        return Answer(lines, [sources[i - 1] for i in checked.cited], mode="llm", confidence=base.confidence)


def fit_first_line(lines: list[str]) -> list[str]:
    """The answer lines with a first line of at most MAX_FIRST_LINE characters: an over-long one
    (two documents' sentences compared, a long list) goes on over the next lines, cut where
    `answer_lines.answer_lines` cuts — after a sentence or a clause, never inside a number."""
    lines = [x for x in lines if x is not None]
    if not lines or len(lines[0]) <= MAX_FIRST_LINE:
        return lines
    return answer_lines(lines[0]) + lines[1:]


def _same_passage(a: Evidence, b: Evidence, same_sentence: bool) -> bool:
    """Both quotes are from one document (and, with `same_sentence`, one holds the other): a figure
    the flow checked against its sentence is cut from that sentence, not from another."""
    if a.doc_id != b.doc_id:
        return False
    fa, fb = match_form(a.quote), match_form(b.quote)
    return not same_sentence or fa in fb or fb in fa


def _mode_name(a: Answer) -> str:
    return "抽取式" if a.mode == "extractive" else "结构化"


def _dedupe(evs: list[Evidence]) -> list[Evidence]:
    seen, out = set(), []
    for ev in evs:
        key = (ev.doc_id, ev.quote)
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return out
