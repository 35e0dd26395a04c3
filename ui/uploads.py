"""Uploads from the web UI: what is accepted, under which doc id, and the worker that ingests them.

Accepted: only files the browser uploaded (they sit in Gradio's upload folder; a client-supplied
server path anywhere else is refused), at most MAX_UPLOAD_FILES per request, each at most
MAX_UPLOAD_BYTES, of a supported type whose content matches its suffix (a `.pdf` must be a PDF,
a `.docx` a Word ZIP, text suffixes must hold text).

Doc ids: an upload never silently replaces a document. A name that is already indexed gets a new
id (`name-2`, …) unless the user asked to replace it; bundled documents are never replaced from
the UI. (The index keeps the replaced version restorable: index.store.)

Work: each upload is parsed and indexed in a child process (`python -m ui.uploads`) with a wall
time and memory bound, at most UPLOAD_WORKERS at once, so a slow or hostile document neither
blocks questions (served by the parent) nor other uploads, and is killed when over its budget.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

UPLOAD_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_FILES = 10
UPLOAD_WORKERS = 2  # child processes at once (2 cores: questions keep one)
# A child's whole job (parse + embed + index) for one upload request; parse alone is bounded per
# document by ingest.limits.PARSE_SECONDS inside the child.
WORKER_TIMEOUT_S = 900.0
# Resident memory of a child (the embedding model and index included) before it is killed.
WORKER_MAX_RSS_MB = 1200
_POLL_S = 0.2

_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}


@dataclass
class UploadOutcome:
    lines: list[str] = field(default_factory=list)  # one Markdown line per file
    changed: bool = False


def upload_root() -> Path:
    """Where Gradio stores files a browser uploaded (the only place uploads may come from)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def safe_filename(name: str) -> str:
    """A file name that is safe as a path and as a doc id: no directories, only word chars,
    CJK, dot and dash; keeps the suffix."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", stem).strip("._-")[:80] or "document"
    return stem + suffix


def sniff(path: Path) -> str:
    """The file's kind by content: 'pdf', 'docx', 'zip', 'binary' or 'text'."""
    with path.open("rb") as f:
        head = f.read(8192)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except (zipfile.BadZipFile, OSError, ValueError):
            return "binary"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with a BOM has zero bytes
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte of ASCII text is zero, never two in a row
        return "text" if head[0::2].count(0) == 0 or head[1::2].count(0) == 0 else "binary"
    return "text"


def content_problem(path: Path) -> str | None:
    """Why the file's content does not match its suffix, or None."""
    suffix = path.suffix.lower()
    kind = sniff(path)
    want = {".pdf": "pdf", ".docx": "docx"}.get(suffix, "text")
    if kind == want:
        return None
    names = {"pdf": "PDF", "docx": "Word 文档", "zip": "压缩包", "binary": "二进制数据", "text": "纯文本"}
    return f"文件内容（{names[kind]}）与扩展名 {suffix} 不符"


def bundled_root() -> Path:
    from ingest.pipeline import BUNDLED_CORPUS

    return Path(BUNDLED_CORPUS).resolve()


def _manifest_files(index_dir: Path) -> dict[str, dict[str, Any]]:
    """doc id -> {source, sha256, …} of every indexed document ({} without an index)."""
    try:
        manifest = json.loads((Path(index_dir) / "manifest.json").read_text(encoding="utf-8"))
        return dict(manifest.get("files", {}))
    except (OSError, ValueError):
        return {}




def is_bundled(source: str) -> bool:
    try:
        Path(source).resolve().relative_to(bundled_root())
        return True
    except ValueError:
        return False


def choose_name(name: str, taken: set[str], upload_dir: Path) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext` … : the first whose stem is no indexed doc id and no
    file in the uploads folder."""
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    candidate = name
    while Path(candidate).stem in taken or any(upload_dir.glob(f"{Path(candidate).stem}.*")):
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    return candidate


def _check(src: Path, root: Path) -> str | None:
    """Why an incoming path is refused before it is copied, or None."""
    try:
        inside = src.resolve().relative_to(root) is not None
    except (ValueError, OSError):
        inside = False
    if not inside or src.is_symlink() or not src.is_file():
        return "不是本次上传的文件（只接受浏览器上传的文件）"
    if src.suffix.lower() not in UPLOAD_SUFFIXES:
        return f"不支持的文件类型（支持 {'、'.join(sorted(UPLOAD_SUFFIXES))}）"
    size = src.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        return f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_UPLOAD_BYTES // 1048576} MB）"
    if size == 0:
        return "文件为空"
    return content_problem(src)


def stage_uploads(paths: list[str], index_dir: Path, root: Path, replace: bool = False) -> tuple[list[Path], list[str]]:
    """Check each uploaded path and copy the good ones into `<home>/uploads` under the doc id they
    will have. Returns the copies and one report line per refused or unchanged file."""
    from ingest.pipeline import file_sha256

    upload_dir = Path(index_dir).parent / "uploads"
    upload_dir.mkdir(parents=True, exist_ok=True)
    manifest = _manifest_files(index_dir)
    sources = {k: str(v.get("source", "")) for k, v in manifest.items()}
    by_digest = {v.get("sha256"): k for k, v in manifest.items()}
    lines: list[str] = []
    saved: list[Path] = []
    for p in paths[:MAX_UPLOAD_FILES]:
        src = Path(p)
        name = safe_filename(src.name)
        problem = _check(src, root)
        if problem:
            lines.append(f"【失败】{name}：{problem}")
            continue
        same = by_digest.get(file_sha256(src))
        if same:
            lines.append(f"【完成】{name}：内容与已索引的文档 {same} 相同，未变化，已跳过")
            continue
        stem = Path(name).stem
        taken = set(sources) | {s.stem for s in saved}
        if stem in sources and is_bundled(sources[stem]):
            if replace:
                lines.append(f"【提示】{name}：内置文档不能从界面替换，已作为新文档索引")
            name = choose_name(name, taken, upload_dir)
        elif stem in taken and not replace:
            name = choose_name(name, taken, upload_dir)
        dest = upload_dir / name
        if dest.stem in manifest:  # replacing: the version being replaced is kept before it is overwritten
            from index.history import keep

            old = manifest[dest.stem]
            keep(Path(index_dir), dest.stem, str(old.get("source", "")), str(old.get("sha256", "")))
        shutil.copyfile(src, dest)
        saved.append(dest)
    if len(paths) > MAX_UPLOAD_FILES:
        lines.append(f"【失败】一次最多上传 {MAX_UPLOAD_FILES} 个文件，其余 {len(paths) - MAX_UPLOAD_FILES} 个未处理")
    return saved, lines


# ---------------------------------------------------------------- the request


def ingest_uploads(state: Any, paths: list[str] | None, progress: Any = None, replace: bool = False,
                   root: Path | None = None) -> str:
    """Check, stage and ingest one upload request; returns a Markdown report, one line per file.
    `state` is the web AppState (index_dir, lock = the worker slots, reload()); `root` is where
    accepted files must come from (default: Gradio's upload folder, or state.upload_root)."""
    if not paths:
        return "请先选择要上传的文件。"
    if not state.lock.acquire(blocking=False):
        return "正在索引其他文件，请稍后再试。"
    try:
        root = Path(root or getattr(state, "upload_root", None) or upload_root()).resolve()
        saved, lines = stage_uploads(list(paths), state.index_dir, root, replace)
        if saved:
            result = run_worker(saved, state.index_dir, progress)
            lines += _outcome_lines(saved, result)
            if result.get("changed"):
                if progress is not None:
                    progress(0.95, desc="正在重新加载索引")
                state.reload()
        return "\n\n".join(lines) if lines else "没有可索引的文件。"
    except Exception as e:  # the page shows one line, never a traceback
        return f"【失败】上传失败：{_one_line(e)}"
    finally:
        state.lock.release()


_LABELS = {"added": "已新增", "updated": "已替换（旧版本已保留，可恢复）", "skipped": "未变化，已跳过"}


def _outcome_lines(saved: list[Path], result: dict[str, Any]) -> list[str]:
    lines = []
    for f in saved:
        got = result["files"].get(f.name, {"status": "error", "reason": "没有结果"})
        if got["status"] in _LABELS:
            extra = f"；替换了 {got['replaced']} 个无法识别的字符" if got.get("replaced") else ""
            lines.append(f"【完成】{f.name}：{_LABELS[got['status']]}（{f.stem}{extra}）")
        else:
            lines.append(f"【失败】{f.name}：{got.get('reason') or '无法索引'}")
            f.unlink(missing_ok=True)  # a refused copy must not be picked up by a later ingest
    return lines


def _one_line(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return (s[0] if s else type(e).__name__)[:300]


# ---------------------------------------------------------------- the worker (parent side)


def run_worker(files: list[Path], index_dir: Path, progress: Any = None,
               timeout_s: float = WORKER_TIMEOUT_S, max_rss_mb: int = WORKER_MAX_RSS_MB) -> dict[str, Any]:
    """Ingest `files` into `index_dir` in a child process; kill it past `timeout_s` or `max_rss_mb`.
    Returns the child's result: {"files": {name: {"status", "doc_id"|"reason", "replaced"}}, "changed"}."""
    import psutil

    cmd = [sys.executable, "-m", "ui.uploads", str(index_dir), *map(str, files)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            encoding="utf-8", env=_child_env())
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    t0 = time.monotonic()
    peak = 0.0
    killed = ""
    try:
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                peak = max(peak, ps.memory_info().rss / 1048576)
            except psutil.Error:
                pass
            if peak > max_rss_mb:
                killed = f"内存超过上限（{max_rss_mb} MB）"
            elif time.monotonic() - t0 > timeout_s:
                killed = f"处理超时（上限 {timeout_s:.0f} 秒）"
            if killed:
                proc.kill()
                break
            if progress is not None and lines:
                _report_progress(progress, lines[-1])
            time.sleep(_POLL_S)
    finally:
        proc.wait()
        reader.join(timeout=5)
    result = next((json.loads(ln) for ln in reversed(lines) if ln.startswith('{"files"')), None)
    if result is None:
        reason = killed or f"处理进程异常退出（代码 {proc.returncode}）"
        result = {"files": {f.name: {"status": "error", "reason": reason} for f in files}, "changed": False}
    result["peak_rss_mb"] = round(peak, 1)
    return result


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    return env


def _report_progress(progress: Any, line: str) -> None:
    if line.startswith("PROGRESS "):
        _, frac, desc = line.rstrip("\n").split(" ", 2)
        try:
            progress(float(frac), desc=desc)
        except Exception:  # a progress bar is cosmetic
            pass


# ---------------------------------------------------------------- the worker (child side)


def _child(index_dir: Path, files: list[Path]) -> dict[str, Any]:
    from assistant.derivations import ingest  # the sentence statistics registered
    from ingest import limits
    from ingest.model import IngestError
    from ingest.pipeline import parse_document

    out: dict[str, dict[str, Any]] = {}
    good: list[Path] = []
    for i, f in enumerate(files):
        print(f"PROGRESS {i / (len(files) + 1):.2f} 正在解析 {f.name}（{i + 1}/{len(files)}）", flush=True)
        try:
            with limits.deadline(f):
                doc = parse_document(f)
            out[f.name] = {"status": "parsed", "doc_id": doc.doc_id, "replaced": doc.replaced_chars}
            good.append(f)
        except IngestError as e:
            out[f.name] = {"status": "error", "reason": e.reason}
        except Exception as e:  # a parser bug on one file must not lose the others
            out[f.name] = {"status": "error", "reason": f"无法解析（{type(e).__name__}）"}
    changed = False
    if good:
        print(f"PROGRESS {len(files) / (len(files) + 1):.2f} 正在索引 {len(good)} 个文件", flush=True)
        rep = ingest(good, index_dir, progress=False)
        changed = rep.changed
        for f in good:
            doc_id = f.stem
            status = "added" if doc_id in rep.added else "updated" if doc_id in rep.updated else \
                "skipped" if doc_id in rep.skipped else "error"
            out[f.name]["status"] = status
        for e in rep.errors:
            name = Path(e.path).name
            if name in out:
                out[name] = {"status": "error", "reason": e.reason}
    return {"files": out, "changed": changed}


def _peak_rss_mb() -> float | None:
    """This process's peak resident memory (VmHWM: reset by exec, unlike getrusage's ru_maxrss,
    which a child inherits from its parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None


def main(argv: list[str]) -> int:
    index_dir, *files = argv
    result = _child(Path(index_dir), [Path(f) for f in files])
    result["child_peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
