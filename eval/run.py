"""`planqa eval`: run a dataset through the assistant, score it, write results and a report.

Outputs in `out` (default `$PLANQA_HOME/eval`): `results.jsonl` (one line per question),
`summary.json`, `report.md` + `plots/*.png`, `report.html`; the summary line (see eval/metrics.py
for the definitions) is returned and printed last by `main_eval`.

Latency is the wall-clock time of `assistant.ask()` measured here (not the figure the assistant
reports), so every system is timed the same way. recall@5 uses `Index.search(question, k=5)`
on the assistant's index; with a custom assistant and no index it is `nan`.

The baseline (eval/baseline.py) is run when asked (`baseline=True`, `planqa eval --baseline`);
otherwise a baseline already stored in `out` for exactly the same question ids is shown in the
report, so its one-off embedding cost is not paid on every evaluation.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from eval.dataset import DatasetError, default_dataset, load_dataset
from eval.metrics import Summary, summarise
from eval.report import write_report
from eval.rouge import ROUGE_CORRECT, answer_body, best_rouge_l
from eval.score import citation_ok, evidence_in, first_line, is_correct
from eval.splits import select

BASELINE_FILE = "baseline_results.jsonl"
BASELINE_METRICS = "baseline_summary.json"


class Asker(Protocol):
    def ask(self, question: str) -> dict: ...


class Searcher(Protocol):
    def search(self, query: str, k: int = 10) -> list[Any]: ...


class ChunkTexts:
    """What a chunk "contains" for recall and citations: its indexed text and, when the index can
    give it, the source span it came from (document text[start:end]).  Table-row chunks are rendered
    with headers ("表1 … | 单位 亿元 | 2017年 7363.9") while evidence is source text ("地区生产总值
    亿元7363.97668.5"), so the span is what makes a retrieved table row count as a hit."""

    SEP = "\x00"  # joins the two texts; never in evidence, so no match straddles them

    def __init__(self, index: Any) -> None:
        self._records = getattr(index, "records", None)
        self._docs: dict[str, str] = {}

    def _span(self, chunk: Any) -> str:
        start, end, doc_id = getattr(chunk, "start", 0), getattr(chunk, "end", 0), getattr(chunk, "doc_id", None)
        if not doc_id or end <= start or not hasattr(self._records, "document_text"):
            return ""
        if doc_id not in self._docs:
            self._docs[doc_id] = self._records.document_text(doc_id) or ""
        return self._docs[doc_id][start:end]

    def of(self, chunk: Any) -> str:
        text = str(getattr(chunk, "text", ""))
        span = self._span(chunk)
        return text + self.SEP + span if span and span != text else text

    def of_hit(self, hit: Any) -> str:
        chunk = getattr(hit, "chunk", None)
        if chunk is not None:
            return self.of(chunk)
        return str(hit.get("text", "")) if isinstance(hit, dict) else str(hit)

    def lookup(self, chunk_id: str) -> str | None:
        if self._records is None:
            return None
        chunk = self._records.chunk(chunk_id)
        return self.of(chunk) if chunk is not None else None


def score_one(item: dict, reply: dict, latency_ms: float, top5: list[str] | None,
              chunk_lookup: Callable[[str], str | None] | None) -> dict:
    """One results.jsonl row: the reply judged by the DESIGN rules."""
    answer = str(reply.get("answer") or "")
    abstained = bool(reply.get("abstained"))
    citations = reply.get("citations") or []
    cite = None
    if not item["unanswerable"] and item["evidence"]:
        cite = False if abstained else citation_ok(item["evidence"], citations, chunk_lookup)
    rouge = None
    if item.get("metric") == "rouge_l":
        rouge = 0.0 if abstained else best_rouge_l(item["answers"], answer_body(answer))
    hit5 = None
    if top5 is not None and not item["unanswerable"] and item["evidence"]:
        hit5 = evidence_in(item["evidence"], top5)
    return {
        "id": item["id"],
        "type": item["type"],
        "doc": item.get("doc", ""),
        "question": item["question"],
        "answers": item["answers"],
        "unanswerable": item["unanswerable"],
        "correct": (rouge >= ROUGE_CORRECT) if rouge is not None else is_correct(item, answer, abstained),
        **({"rouge_l": round(rouge, 4)} if rouge is not None else {}),
        "citation_ok": cite,
        "abstained": abstained,
        "latency_ms": round(latency_ms, 2),
        "answer": answer,
        "first_line": first_line(answer),
        "citations": citations,
        "mode": reply.get("mode"),
        "retrieval_hit@5": hit5,
        **({"error": reply["error"]} if reply.get("error") else {}),
    }


def _open_system(assistant: Asker | None, index_dir: Path | None) -> tuple[Asker, Any]:
    """The assistant and the index used for recall@5 / chunk lookups (None when unavailable)."""
    if assistant is None:
        from assistant.assistant import Assistant
        from index.store import Index

        where = Path(index_dir) if index_dir else None
        Index.ensure(where)  # DESIGN: eval builds the bundled corpus first if there is no index
        assistant = Assistant.open(where)
    index = getattr(assistant, "index", None)  # share the assistant's index: loaded once
    if index is None and index_dir is not None:
        from index.store import Index

        index = Index.open(Path(index_dir))
    return assistant, index


def _load_stored_baseline(out: Path, ids: list[str]) -> dict | None:
    res_path, met_path = out / BASELINE_FILE, out / BASELINE_METRICS
    if not (res_path.is_file() and met_path.is_file()):
        return None
    try:
        results = [json.loads(line) for line in res_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        metrics = json.loads(met_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if [r.get("id") for r in results] != ids:
        return None  # another dataset: not comparable
    return {"results": results, "metrics": metrics, "description": metrics.get("description", "")}


def run_eval(dataset: Path, out: Path, assistant: Asker | None = None, index_dir: Path | None = None,
             *, baseline: bool = False, progress: bool = True, corpus: Path | None = None,
             split: str = "all", by_document: bool = False) -> Summary:
    """Evaluate `assistant` (default: the real Assistant) on `dataset` (the items of `split`).

    Without an assistant or `index_dir`, the questions are asked of an isolated index of `corpus`
    (default: the bundled corpus), never of the live index (eval/isolated.py).
    """
    items = select(load_dataset(Path(dataset)), split, by_document)
    if not items:
        raise DatasetError(f"{dataset}: no items in split {split!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if assistant is None and index_dir is None:
        from eval.isolated import eval_index

        index_dir = eval_index(Path(corpus) if corpus else _bundled(), progress=progress)
    system, index = _open_system(assistant, index_dir)
    results = ask_all(system, index, items, progress)
    summary = summarise(results)
    _write_results(out, "results.jsonl", results)
    (out / "summary.json").write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    base = lexical = None
    if baseline:
        from eval.baseline import run_baseline
        from eval.lexical import run_lexical

        base = run_baseline(items, out, corpus=Path(corpus) if corpus else None, progress=progress)
        lexical = run_lexical(items, _files(corpus), progress=progress)
        _write_results(out, "lexical_results.jsonl", lexical["results"])
        (out / "lexical_summary.json").write_text(json.dumps(lexical["metrics"], ensure_ascii=False, indent=1),
                                                  encoding="utf-8")
    else:
        base = _load_stored_baseline(out, [it["id"] for it in items])
    write_report(out, results, summary, base, dataset=str(dataset), lexical=lexical)
    return summary


def ask_all(system: Asker, index: Any, items: list[dict], progress: bool = True) -> list[dict]:
    """Ask every item, time it, score it (and its top-5 retrieval when an index is given)."""
    texts = ChunkTexts(index)
    lookup = texts.lookup if index is not None else None
    results = []
    for item in tqdm(items, desc="eval", unit="q", disable=not progress, file=sys.stderr, mininterval=0.5):
        t0 = time.perf_counter()
        try:
            reply = system.ask(item["question"])
        except Exception as e:  # a crash is a wrong answer for that question, not a failed run
            reply = {"answer": "", "abstained": False, "citations": [], "error": f"{type(e).__name__}: {e}"}
        latency = (time.perf_counter() - t0) * 1000
        top5 = None
        if index is not None and hasattr(index, "search"):
            top5 = [texts.of_hit(h) for h in index.search(item["question"], k=5)]
        results.append(score_one(item, reply, latency, top5, lookup))
    return results


def _bundled() -> Path:
    from ingest.pipeline import BUNDLED_CORPUS

    return BUNDLED_CORPUS


def _files(corpus: Path | None) -> list[Path]:
    from eval.isolated import corpus_files

    return corpus_files(Path(corpus) if corpus else _bundled())


def _write_results(out: Path, name: str, results: list[dict]) -> None:
    with (out / name).open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _user_errors() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = [DatasetError]
    try:
        from index.store import EmbedderMismatch, IndexMissing

        errors += [IndexMissing, EmbedderMismatch]
    except ImportError:  # index package not importable: only dataset errors are user errors
        pass
    return tuple(errors)


def main_eval(dataset: str | None, out: str | None, index_dir: str | None, baseline: bool = True,
              assistant: Asker | None = None, corpus: str | None = None, suite: str | None = None,
              split: str = "all") -> int:
    """CLI entry: prints where the outputs went, then the summary line(s) as the last line(s).

    `suite` (``all`` or names, see eval/suites.py) runs each suite on its own corpus index and
    prints one summary line per suite, prefixed with its name.  Otherwise one dataset is run:
    `dataset` (default: the seed dev set) over `corpus` (default: the bundled corpus) or over an
    explicit `index_dir`; its summary line is printed last.
    """
    from index.config import planqa_home

    out_dir = Path(out) if out else planqa_home() / "eval"
    try:
        if suite:
            from eval.suite_run import run_suites

            lines = run_suites(suite, out_dir, split=split, baseline=baseline)
            print(f"report:  {out_dir / 'report.html'}")
            for line in lines:
                print(line, flush=True)
            return 0
        ds = Path(dataset) if dataset else default_dataset()
        summary = run_eval(ds, out_dir, assistant, index_dir=Path(index_dir) if index_dir else None,
                           baseline=baseline, corpus=Path(corpus) if corpus else None, split=split,
                           by_document=_by_document(ds))
    except (*_user_errors(), ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    print(f"results: {out_dir / 'results.jsonl'}")
    print(f"report:  {out_dir / 'report.html'}")
    print(summary.line(), flush=True)
    return 0


def _by_document(dataset: Path) -> bool:
    """Whether a dataset file is one of the suites split by document (for --split)."""
    from eval.suites import SUITES

    return any(s.split_by_document and s.dataset.resolve() == Path(dataset).resolve() for s in SUITES.values())
