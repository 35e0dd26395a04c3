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
from collections.abc import Callable, Iterable
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


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def _index_dir(args: argparse.Namespace) -> Path | None:
    return Path(args.index) if getattr(args, "index", None) else None


def _open_index(args: argparse.Namespace):
    from index.store import Index

    return Index.ensure(_index_dir(args))


# ---- subcommands -------------------------------------------------------------------------

def cmd_ingest(args: argparse.Namespace) -> int:
    from index.store import ingest

    paths = [Path(p) for p in args.paths] or None
    report = ingest(paths, _index_dir(args), progress=not args.quiet, rebuild=args.rebuild)
    for err in report.errors:
        print(f"错误 {err}", file=sys.stderr)
    print(
        f"added={len(report.added)} updated={len(report.updated)} skipped={len(report.skipped)} "
        f"removed={len(report.removed)} errors={len(report.errors)}"
    )
    ok = report.added or report.updated or report.skipped
    return 0 if ok or not report.errors else 1


def cmd_remove(args: argparse.Namespace) -> int:
    from index.store import remove

    if not remove(args.doc_id, _index_dir(args)):
        raise UserError(f"{args.doc_id}: no such document in the index")
    print(f"removed {args.doc_id}")
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


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.assistant import Assistant

    assistant = Assistant.open(_index_dir(args))
    result = assistant.ask(args.question, mode=args.mode, top_k=args.top_k)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(result["answer"])
    if result["citations"]:
        print()
        for c in result["citations"]:
            print(f"[{c['n']}] {c['doc_title']} · {c['section']} · 第{c['page']}页")
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
    return 0


def cmd_targets(args: argparse.Namespace) -> int:
    records = _open_index(args).records
    rows = [r.to_json() for r in records.indicators(doc_id=args.doc)]
    if not rows:
        raise UserError("no indicator rows match (check --doc)")
    _emit(rows, INDICATOR_FIELDS, _fmt(args), lambda r: (
        f"{r['table']} | {r['group'] or ''} | {r['name']} | {r['unit'] or ''} | "
        + " ".join(f"{y}: {v}" for y, v in r["values"].items())
    ))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.web import serve

    serve(host=args.host, port=args.port, index_dir=_index_dir(args))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.run import main_eval

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
                              ("targets", cmd_targets, "parsed indicator-table rows")):
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
    for mod, names in (("ingest.model", ["IngestError"]), ("index.store", ["IndexMissing", "EmbedderMismatch"])):
        try:
            m = __import__(mod, fromlist=names)
            errors += [getattr(m, n) for n in names if hasattr(m, n)]
        except ImportError:
            pass
    return tuple(errors)


def main(argv: Iterable[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except _user_errors() as e:
        print(f"planqa: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
