"""The `planqa` command.

Every subcommand imports its package lazily so `planqa ask` stays fast (no gradio, torch or
sentence-transformers on that path). User mistakes print one line to stderr and exit 1/2;
they never show a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

PROJECT_FIELDS = [
    "doc_id", "table", "category", "seq", "name", "park", "content", "period",
    "start_year", "end_year", "investment_wan", "progress", "page",
]
INDICATOR_FIELDS = ["doc_id", "table", "group", "name", "unit", "values", "nature", "page"]
FACT_FIELDS = ["prose", "measure", "value", "qualifier", "year", "year_source", "kind", "place", "section", "quote"]
HEARTBEAT_S = 10.0  # seconds between "still indexing" lines when stderr is not a terminal
DEFAULT_MAX_QUESTION_CHARS = 500  # the assistant's own limit (assistant.query) wins when importable


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def _index_dir(args: argparse.Namespace) -> Path | None:
    return Path(args.index) if getattr(args, "index", None) else None


def _open_index(args: argparse.Namespace):
    """The index; built from the bundled corpus first (with progress on stderr) if there is none."""
    from index.store import Index, IndexMissing

    try:
        return Index.open(_index_dir(args))
    except IndexMissing:
        _first_build(_index_dir(args))
        return Index.open(_index_dir(args))


@contextmanager
def _heartbeat(message: str) -> Iterator[None]:
    """Every HEARTBEAT_S seconds print `message` and the time spent on stderr while the body runs, unless stderr is a
    terminal (which shows the embedding progress bar instead): a log never goes quiet for a minute."""
    import time

    stop = threading.Event()
    t0 = time.perf_counter()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_S):
            print(f"planqa: {message}，已用 {time.perf_counter() - t0:.0f} 秒", file=sys.stderr, flush=True)

    thread = None if sys.stderr.isatty() else threading.Thread(target=beat, daemon=True)
    if thread:
        thread.start()
    try:
        yield
    finally:
        stop.set()


def _first_build(index_dir: Path | None) -> None:
    """Build the index of the bundled corpus one file at a time, saying what happens on stderr:
    the first run embeds every chunk, which takes a minute or more, and must not look hung.
    The embedding progress bar (tqdm) shows when stderr is a terminal; the per-file lines always."""
    import time

    from assistant.derivations import ingest  # the sentence statistics registered
    from index.store import default_index_dir
    from ingest.pipeline import BUNDLED_CORPUS, discover

    target = index_dir or default_index_dir()
    files, errors = discover([BUNDLED_CORPUS])
    say = lambda msg: print(f"planqa: {msg}", file=sys.stderr, flush=True)  # noqa: E731
    say(f"尚无索引，正在为内置文档建立索引（{len(files)} 个文件 → {target}）；"
        "首次运行需要计算全部文本的向量，可能需要一两分钟……")
    t0 = time.perf_counter()
    for i, path in enumerate(files, 1):
        t1 = time.perf_counter()
        say(f"[{i}/{len(files)}] 正在解析并索引 {path.name} ……")
        with _heartbeat(f"[{i}/{len(files)}] 仍在索引 {path.name}"):
            report = ingest([path], index_dir, progress=True)
        errors += report.errors
        say(f"[{i}/{len(files)}] {path.name} 完成（{time.perf_counter() - t1:.1f} 秒）")
    for err in errors:
        say(f"错误 {err}")
    say(f"索引已建立，用时 {time.perf_counter() - t0:.1f} 秒。")


# ---- subcommands -------------------------------------------------------------------------

def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.derivations import ingest  # the sentence statistics registered

    paths = [Path(p) for p in args.paths] or None
    report = ingest(paths, _index_dir(args), progress=not args.quiet, rebuild=args.rebuild)
    for err in report.errors:
        print(f"错误 {err}", file=sys.stderr)
    for doc_id, n in getattr(report, "replaced", {}).items():
        print(f"注意 {doc_id}: {n} 个无法编码的字符已替换为 U+FFFD", file=sys.stderr)
    print(
        f"added={len(report.added)} updated={len(report.updated)} skipped={len(report.skipped)} "
        f"removed={len(report.removed)} errors={len(report.errors)}"
    )
    ok = report.added or report.updated or report.skipped
    return 0 if ok or not report.errors else 1


def cmd_remove(args: argparse.Namespace) -> int:
    from index.history import changes
    from index.store import default_index_dir, remove

    index_dir = _index_dir(args) or default_index_dir()
    if not remove(args.doc_id, index_dir):
        raise UserError(f"{args.doc_id}: no such document in the index")
    print(f"removed {args.doc_id}")
    logged = changes(index_dir, args.doc_id)
    if logged and logged[-1].get("kept_copy"):
        last = logged[-1]
        print(f"  was: {last.get('title')} ({last.get('chunks')} chunks, sha256 {str(last.get('sha256'))[:12]})")
        print(f"  restore with: planqa ingest {last['kept_copy']}")
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from ingest.model import Document
    from ingest.structure import render_tree

    records = _open_index(args).records
    info = records.document(args.doc_id)
    if info is None:
        known = ", ".join(d["doc_id"] for d in records.documents())
        raise UserError(f"{args.doc_id}: no such document (indexed: {known})")
    doc = Document(
        doc_id=args.doc_id, title=info["title"], source=info.get("source", ""), sha256="",
        text="", pages=info.get("pages", 0),
        sections=records.sections(args.doc_id), tables=records.tables(args.doc_id),
        profile=records.profile(args.doc_id), facts=records.facts(args.doc_id),
    )
    print(render_tree(doc))
    return 0


def _question_problem(question: str) -> str | None:
    """Input the assistant cannot take at all (exit 2), unlike a question it cannot answer (exit 0)."""
    try:
        from assistant.query import MAX_QUESTION_CHARS as limit
    except ImportError:  # the analyser moved its limit: fall back to the documented default
        limit = DEFAULT_MAX_QUESTION_CHARS
    n = len(question.strip())
    if not n:
        return "问题为空，请输入问题，例如：planqa ask \"……的目标是多少？\""
    if n > limit:
        return f"问题过长（{n} 字），请缩短到 {limit} 字以内。"
    return None


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.assistant import Assistant
    from assistant.cite import citation_labels
    from ingest.limits import normalise

    problem = _question_problem(args.question)
    if problem:
        print(f"planqa: {problem}", file=sys.stderr)
        return 2
    index = _open_index(args)
    assistant = Assistant(index)
    # undecodable bytes in argv arrive as lone surrogates: replaced like a document's, never a crash
    result = assistant.ask(normalise(args.question)[0], mode=args.mode, top_k=args.top_k)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(result["answer"])
    if result["citations"]:
        print()
        for c, label in zip(result["citations"], citation_labels(result["citations"], index.records), strict=True):
            print(label)
            print(f"    「{c['quote']}」")
    print(f"\n（{result['mode']}，{result['latency_ms']:.0f} ms）")
    return 0


def _matches_park(park: str | None, wanted: str) -> bool:
    return bool(park) and (wanted in park or park in wanted)


def _emit(rows: list[dict[str, Any]], fields: list[str], fmt: str, text_line: Callable[[dict], str]) -> None:
    if fmt == "json":
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v) for k, v in r.items()})
    else:
        for r in rows:
            print(text_line(r))


def _fmt(args: argparse.Namespace) -> str:
    return "json" if args.json else "csv" if args.csv else "text"


def cmd_projects(args: argparse.Namespace) -> int:
    records = _open_index(args).records
    rows = [p.to_json() for p in records.projects(doc_id=args.doc)]
    if args.park:
        rows = [r for r in rows if _matches_park(r["park"], args.park)]
    if not rows:
        raise UserError("no project rows match (check --doc / --park)")
    _emit(rows, PROJECT_FIELDS, _fmt(args), lambda r: (
        f"{r['seq'] or '':>3} {r['name']} | {r['park']} | {r['period']} | {r['investment_wan']}万元 | {r['category']}"
    ))
    if _fmt(args) == "text":
        total = sum(r["investment_wan"] or 0 for r in rows)
        yi = f"{total / 10000:.4f}".rstrip("0").rstrip(".")
        print(f"共 {len(rows)} 个项目，总投资 {total:.0f} 万元（{yi} 亿元，计算值）")
        for line in _stated_lines(records, args):
            print(line)
    return 0


def _stated_lines(records, args: argparse.Namespace) -> list[str]:
    """The document's own figures for the listed rows (a summary table's row for the park, the
    project table's 总计 line), and why they differ from the computed ones."""
    from collections import Counter

    from ui import web_totals
    from ui.web_views import same_park

    all_rows = records.projects(doc_id=args.doc)
    if not args.park:
        return web_totals.document_totals(records, all_rows)
    mine = [r for r in all_rows if _matches_park(r.park, args.park)]
    if not mine:
        return []
    # the park as the rows name it (--park may be a short form the summary table does not use)
    named = Counter(r.park for r in mine).most_common(1)[0][0] or args.park
    comp = web_totals.compare(named, mine, all_rows, records.summary_rows(doc_id=args.doc), same_park,
                              lambda r: r.park)
    text = web_totals.comparison_md(comp).replace("**", "")
    return [x for x in text.split("\n") if x.strip()]


def cmd_targets(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    records = _open_index(args).records
    rows = [r.to_json() | {"prose": False} for r in records.indicators(doc_id=args.doc)]
    # targets and figures stated in prose (fact records), marked "prose"
    rows += [asdict(f) | {"prose": True} for f in records.facts(doc_id=args.doc)]
    if not rows:
        raise UserError("no indicator rows or prose facts match (check --doc)")
    _emit(rows, INDICATOR_FIELDS + FACT_FIELDS, _fmt(args), lambda r: (
        f"[文中] {r['kind']} {r['year'] or '?'} | {r['measure']} | {r['value']}{r['unit'] or ''}{r['qualifier'] or ''}"
        f" | {r['section']}" if r["prose"] else
        f"{r['table']} | {r['group'] or ''} | {r['name']} | {r['unit'] or ''} | "
        + " ".join(f"{y}: {v}" for y, v in r["values"].items())
    ))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.guard import is_loopback
    from ui.web import serve

    if is_loopback(args.host) or args.allow_remote:  # (a refused address is refused before any build)
        _open_index(args)  # a first run builds the index here, with progress on stderr
    serve(host=args.host, port=args.port, index_dir=_index_dir(args), allow_remote=args.allow_remote)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.run import main_eval

    if not getattr(args, "corpus", None) and not getattr(args, "suite", None):
        _open_index(args)  # the bundled index: a first run builds it here, with progress on stderr
    return main_eval(args.dataset, args.out, args.index, baseline=not args.no_baseline, corpus=args.corpus,
                     suite=args.suite, split=args.split)


# ---- parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="planqa", description="Question answering over Chinese plan documents")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable, help_: str, index: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_)
        sp.set_defaults(func=func)
        if index:
            sp.add_argument("--index", help="index directory (default: $PLANQA_HOME/index)")
        return sp

    sp = add("ingest", cmd_ingest, "index documents (default: the bundled corpus)")
    sp.add_argument("paths", nargs="*", help="files or folders (.txt .md .html .docx .pdf)")
    sp.add_argument("--rebuild", action="store_true", help="rebuild from scratch (e.g. after changing embedder)")
    sp.add_argument("--quiet", action="store_true", help="no progress bar")

    sp = add("remove", cmd_remove, "drop one document from every store")
    sp.add_argument("doc_id")

    sp = add("inspect", cmd_inspect, "show a document's section tree and tables")
    sp.add_argument("doc_id")

    sp = add("ask", cmd_ask, "ask a question")
    sp.add_argument("question")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--top-k", type=int, default=5)
    sp.add_argument("--mode", choices=["auto", "structured", "extractive", "llm"], default="auto")

    for name, func, help_ in (("projects", cmd_projects, "parsed project-list rows"),
                              ("targets", cmd_targets, "parsed indicator-table rows and targets stated in prose")):
        sp = add(name, func, help_)
        sp.add_argument("--doc", help="document id")
        if name == "projects":
            sp.add_argument("--park", help="park name or short form, e.g. 保税区")
        g = sp.add_mutually_exclusive_group()
        g.add_argument("--json", action="store_true", help="one JSON record per line")
        g.add_argument("--csv", action="store_true")

    sp = add("serve", cmd_serve, "serve the Gradio UI and the JSON API")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=7860)
    sp.add_argument("--allow-remote", action="store_true",
                    help="allow a non-loopback --host (other machines can then reach the server)")

    sp = add("eval", cmd_eval, "run the evaluation set; last line is the summary")
    sp.add_argument("--dataset", help="JSONL dataset (default: the dev set)")
    sp.add_argument("--out", help="output directory (default: $PLANQA_HOME/eval)")
    sp.add_argument("--corpus", help="corpus folder to index in isolation for --dataset (default: the bundled corpus)")
    sp.add_argument("--suite", help="run benchmark suites on their own corpora: all, or seed,plans-dev,ncpqa-dev")
    sp.add_argument("--split", choices=["dev", "holdout", "all"], default="all",
                    help="tuning (dev) or held-out part of each dataset (eval/splits.py)")
    sp.add_argument("--no-baseline", action="store_true", help="skip the baselines (llama-index, lexical)")
    return p


def _user_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [UserError, FileNotFoundError, PermissionError]
    for mod, names in (("ingest.model", ["IngestError"]), ("index.store", ["IndexMissing", "EmbedderMismatch"]),
                       ("ui.web", ["ExposureRefused"])):
        try:
            m = __import__(mod, fromlist=names)
            errors += [getattr(m, n) for n in names if hasattr(m, n)]
        except ImportError:
            pass
    return tuple(errors)


def main(argv: Iterable[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # text from arguments or documents never fails to print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except _user_errors() as e:
        print(f"planqa: {_printable(e)}", file=sys.stderr)
        return 1
    except Exception as e:  # a bug must not show the user a traceback (PLANQA_DEBUG=1 shows it)
        if os.environ.get("PLANQA_DEBUG"):
            raise
        print(f"planqa: internal error ({type(e).__name__}): {_printable(e)}; "
              "run with PLANQA_DEBUG=1 for details", file=sys.stderr)
        return 70


def _printable(e: BaseException) -> str:
    """One line of the message that any terminal encoding can print (a path or text from a document
    may hold characters, even lone surrogates, the terminal cannot encode)."""
    lines = str(e).strip().splitlines() or [type(e).__name__]
    enc = getattr(sys.stderr, "encoding", None) or "utf-8"
    return lines[0][:500].encode(enc, "replace").decode(enc, "replace")


if __name__ == "__main__":
    sys.exit(main())
