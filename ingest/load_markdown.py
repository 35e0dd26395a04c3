"""Markdown to plain text: markup off, structure kept (`#` headings, pipe tables as tab-separated
rows like DOCX tables, bullets as paragraphs of their own)."""

from __future__ import annotations

import re

_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_MD_ALIGN_CELL = re.compile(r"^:?-{2,}:?$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])"), r"\1"),  # italic
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),  # backslash escapes
]


def markdown_to_text(src: str) -> str:
    """Markdown markup off, structure kept: `#` headings stay (they carry the level), pipe tables
    become tab-separated rows like DOCX tables, quote and bullet markers and emphasis go."""
    out: list[str] = []
    fenced = False
    for line in src.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            out.append(line)
            continue
        line = re.sub(r"^\s{0,3}(?:>\s?)+", "", line)  # blockquote (专栏 boxes are often quoted)
        if _MD_RULE.match(line):
            out.append("")
            continue
        stripped = line.strip()
        if stripped.startswith("|") or (stripped.count("|") >= 2 and not stripped.startswith("#")):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", stripped.strip("|"))]
            if all(_MD_ALIGN_CELL.match(c) for c in cells if c) and any(cells):
                continue
            line = "\t".join(_md_inline(c).replace("\n", " ") for c in cells)
        else:
            if re.match(r"^\s*[-*+]\s+", line):
                # a bullet item is a paragraph of its own even without a blank line before it
                line = re.sub(r"^\s*[-*+]\s+", "", line)
                if out and out[-1].strip():
                    out.append("")
            line = re.sub(r"^(#{1,6}\s+.*?)\s+#+\s*$", r"\1", line)  # closing hashes
            line = _md_inline(line)
        out.append(line)
    return "\n".join(out)


def _md_inline(s: str) -> str:
    for pat, repl in _MD_INLINE:
        s = pat.sub(repl, s)
    return s
