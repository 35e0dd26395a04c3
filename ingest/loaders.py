"""Read one source file into plain text, whatever its format and encoding.

Every user-facing problem (missing file, empty file, binary data, image-only PDF) is raised as
IngestError with a one-line reason; other layers never see a raw decoding or parser exception.
This module checks the file and dispatches on its suffix; each format has its own loader
(decode.py and load_markdown.py for text, load_html.py, load_docx.py, load_pdf.py), all
returning `LoadedText` (loaded.py), whose code points are normalised here at the boundary.
"""

from __future__ import annotations

from pathlib import Path

from ingest import limits
from ingest.decode import decode_text
from ingest.load_docx import load_docx
from ingest.load_html import load_html
from ingest.load_markdown import markdown_to_text
from ingest.load_pdf import load_pdf
from ingest.loaded import HEADING_START, LoadedText
from ingest.model import IngestError

# importable from here, where clean.py, pipeline.py, eval/, bench/ and the tests import them
__all__ = ["HEADING_START", "SUPPORTED_SUFFIXES", "LoadedText", "decode_text", "load", "markdown_to_text"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def load(path: Path) -> LoadedText:
    """Load a supported file; raise IngestError with a one-line reason on user problems."""
    path = Path(path)
    if not path.exists():
        raise IngestError(str(path), "file not found")
    if path.is_dir():
        raise IngestError(str(path), "is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type {suffix or '(none)'}; use one of {' '.join(SUPPORTED_SUFFIXES)}")
    try:
        limits.check_file_size(path, path.stat().st_size)
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(str(path), f"cannot read file ({e.strerror or e})") from None
    if not data.strip():
        raise IngestError(str(path), "file is empty")
    if suffix == ".txt":
        loaded = LoadedText(decode_text(data, str(path)), None, None, "txt")
    elif suffix == ".md":
        loaded = LoadedText(markdown_to_text(decode_text(data, str(path))), None, None, "md")
    elif suffix in (".html", ".htm"):
        loaded = load_html(data, str(path))
    elif suffix == ".docx":
        loaded = load_docx(path)
    else:
        loaded = load_pdf(path)
    loaded = _normalised(loaded)
    if not loaded.text.strip():
        raise IngestError(str(path), "no text found in file")
    limits.check_text(path, loaded.text)
    return loaded


def _normalised(loaded: LoadedText) -> LoadedText:
    """The loader boundary: no later stage sees a code point it cannot encode (limits.normalise)."""
    text, n = limits.normalise(loaded.text)
    pages = [limits.normalise(p)[0] for p in loaded.pages] if loaded.pages is not None else None
    title = limits.normalise(loaded.title_hint)[0] if loaded.title_hint else loaded.title_hint
    return LoadedText(text, pages, title, loaded.fmt, loaded.replaced + n)

