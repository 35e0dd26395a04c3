"""Bounds on what one input document may cost, and the text normalisation every loader's output
goes through.

A document from an untrusted upload must not be able to take the machine: each limit below is
checked as early as the format allows (file bytes before reading, ZIP member sizes before
decompressing, characters and lines before cleaning) and refused with an IngestError naming the
limit. `deadline()` bounds the wall time of a whole parse where a signal can interrupt it (the
main thread of a process: the upload worker and the CLI).

`normalise()` replaces code points no later stage can encode or should see (lone surrogates, which
pypdf can emit; non-characters; C0/C1 control characters other than tab, newline, carriage return
and form feed) with U+FFFD and counts them, so UTF-8 encoding, hashing and SQLite never fail on a
document's text.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ingest.model import IngestError

# A 20 MB upload limit lives in the web UI; this is the ceiling for any file, CLI included.
MAX_FILE_BYTES = 200 * 1024 * 1024
# Characters after extraction. The largest real plans are ~0.2 M characters; a 1.5 M-character
# document parses in ~15 s on a 2-core machine (parse cost is close to linear in characters).
MAX_CHARS = 1_500_000
# Lines after extraction. Cleaning and section assignment cost per line as well as per character:
# 100 000 one-character lines parse in ~14 s, so 120 000 keeps the worst case within PARSE_SECONDS.
MAX_LINES = 120_000
# DOCX (a ZIP of XML parts): the declared uncompressed size of all XML parts together. zipfile never
# inflates a member past its declared size, so checking the directory bounds the real work.
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
# HTML source characters (tags included) handed to the HTML parser, whose tree costs ~10x the text.
MAX_HTML_CHARS = 8_000_000
MAX_PDF_PAGES = 3_000
# Wall time of one document's parse where deadline() can enforce it.
PARSE_SECONDS = 30.0

_BAD_CODEPOINTS = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"
)


class ParseTimeout(IngestError):
    """A document took longer than its time budget to parse."""


def normalise(text: str) -> tuple[str, int]:
    """`text` with unencodable / control code points replaced by U+FFFD, and how many there were."""
    count = 0

    def _repl(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return "\ufffd"

    return _BAD_CODEPOINTS.sub(_repl, text), count


def check_file_size(path: Path, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise IngestError(str(path), f"file too large ({size / 1048576:.0f} MB; limit {MAX_FILE_BYTES // 1048576} MB)")


def check_text(path: Path, text: str) -> None:
    """Refuse text longer than the character or line limit (before any per-line work is done)."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > MAX_LINES:
        raise IngestError(str(path), f"too many lines ({lines:,}; limit {MAX_LINES:,})")
    if len(text) > MAX_CHARS:
        raise IngestError(str(path), f"text too long ({len(text):,} characters; limit {MAX_CHARS:,})")


def check_html(path: Path, source: str) -> None:
    if len(source) > MAX_HTML_CHARS:
        raise IngestError(str(path), f"HTML page too large ({len(source):,} characters; limit {MAX_HTML_CHARS:,})")


def check_pdf_pages(path: Path, pages: int) -> None:
    if pages > MAX_PDF_PAGES:
        raise IngestError(str(path), f"too many pages ({pages:,}; limit {MAX_PDF_PAGES:,})")


_PROLOG_BYTES = 4096


def check_docx(path: Path) -> None:
    """Refuse a DOCX whose XML would inflate past MAX_XML_BYTES, that has too many parts, or whose
    XML declares a DTD (entity expansion: the 'billion laughs'), before python-docx opens it."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise IngestError(str(path), f"DOCX has too many parts ({len(infos):,}; limit {MAX_ZIP_MEMBERS:,})")
            xml = [i for i in infos if i.filename.lower().endswith((".xml", ".rels"))]
            total = sum(i.file_size for i in xml)
            if total > MAX_XML_BYTES:
                raise IngestError(
                    str(path),
                    f"DOCX XML too large when decompressed ({total / 1048576:.0f} MB; limit {MAX_XML_BYTES // 1048576} MB)",
                )
            for info in xml:
                with z.open(info) as member:
                    head = member.read(_PROLOG_BYTES)
                if _declares_dtd(head):
                    raise IngestError(str(path), f"DOCX part {info.filename} declares a DTD (not allowed)")
    except IngestError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError) as e:
        raise IngestError(str(path), f"not a readable DOCX file ({type(e).__name__})") from None


def _declares_dtd(head: bytes) -> bool:
    """A DOCTYPE can only appear in the prolog, before the root element: checking the head is enough
    (the same rule defusedxml's forbid_dtd applies while parsing)."""
    for enc in ("utf-8", "utf-16"):
        try:
            text = head.decode(enc, errors="ignore")
        except LookupError:
            continue
        if re.search(r"<!\s*(?:DOCTYPE|ENTITY)", text, re.IGNORECASE):
            return True
    return False


@contextlib.contextmanager
def deadline(path: Path | str, seconds: float = PARSE_SECONDS) -> Iterator[None]:
    """Raise ParseTimeout if the body runs longer than `seconds`. Enforced with SIGALRM, so only in
    a process's main thread; elsewhere (a server's worker thread) it does nothing and the caller
    must bound the work itself (ui.uploads runs parses in a child process for that reason)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise ParseTimeout(str(path), f"parsing took longer than {seconds:.0f} s (limit)")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
