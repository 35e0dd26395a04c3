"""Text bytes to str: BOMs, UTF-16 without a BOM, strict UTF-8, GB18030 for Chinese, then
charset-normalizer's guess; binary data is refused with a one-line IngestError.

Shared by plain text, Markdown and HTML (whose declared charset is tried first, in load_html.py).
"""

from __future__ import annotations

from ingest.model import IngestError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode text bytes: BOMs first, then strict UTF-8, then charset-normalizer's best guess.

    GB18030 is tried before charset-normalizer's guess for Chinese because short GBK files are
    often mis-guessed as other legacy code pages; binary data is rejected either way.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _check_text(data.decode(enc, errors="replace").lstrip("\ufeff"), name)
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM has zero bytes (in ASCII characters, newlines); binary data too
        text = _try_utf16(data)
        if text is None:
            raise IngestError(name, "binary data, not a text file")
        return _check_text(text, name)
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _cjk_ratio(text) > 0.2:
            return _check_text(text, name)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(name, "binary data or unknown text encoding")
    return _check_text(str(best), name)


def _try_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    order = ("utf-16-le", "utf-16-be") if sample[1::2].count(0) >= sample[0::2].count(0) else ("utf-16-be", "utf-16-le")
    for enc in order:
        try:
            text = data[: len(data) - len(data) % 2].decode(enc)
        except UnicodeDecodeError:
            continue
        chars = [c for c in text[:4000] if not c.isspace()]
        if not chars:
            continue
        readable = sum(1 for c in chars if c.isprintable() and not ("\ue000" <= c <= "\uf8ff"))
        # decoding binary as UTF-16 yields unassigned / private-use / control characters
        if readable / len(chars) > 0.97 and (_cjk_ratio(text) > 0.2 or sum(c.isascii() for c in chars) / len(chars) > 0.9):
            return text
    return None


def _cjk_ratio(text: str) -> float:
    sample = [c for c in text[:5000] if not c.isspace()]
    if not sample:
        return 0.0
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / len(sample)


def _check_text(text: str, name: str) -> str:
    sample = text[:20000]
    if not sample:
        return text
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f"))
    if bad > max(8, 0.02 * len(sample)):
        raise IngestError(name, "binary data, not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")
