"""Questions asking what a shorthand term means (“四办”措施是指什么, 三零服务指的是什么, 突出保民生是指
什么).  Policy texts define such a term by the enumeration written right before it (实施零上门、零审批、
零投资“三零”服务) or by the clause right after it (突出保民生，是确保…): that is the answer, and a
sentence that writes the term with its definition is the one to read."""

from __future__ import annotations

import functools
import re

_ASKS = re.compile(r"(?:具体)?(?:是指|指的是|指)(?:什么|哪些)|是什么意思")
_QUOTE = "“”\"'‘’「」"
MIN_TERM = 2  # characters of the term's tail a sentence must write
# what introduces a definition after the term: 保民生，是确保… / 三保，即… / 四办：…
_AFTER = re.compile(r"[，,]?(?:是指|即|就是|是)|[：:]")
_END = re.compile(r"[。；;！!？?]")


def defined_term(question_form: str) -> str | None:
    """The words before 是指什么 (quotes removed) whose tail names the asked term, else None."""
    m = _ASKS.search(question_form)
    if m is None:
        return None
    quoted = re.findall(r"“([^”]{1,12})”", question_form[: m.start()])
    head = quoted[-1] if quoted else question_form[: m.start()]
    head = re.sub(f"[{_QUOTE}]", "", head)
    return head if len(head) >= MIN_TERM else None


def definition(sentence: str, head: str) -> tuple[int, int] | None:
    """Offsets in `sentence` of the definition of the longest tail of `head` it writes (quotes may
    stand between its characters): the clause after it when a definition marker follows, else the
    enumeration (≥ 2 items joined by 、) right before it."""
    for pattern in _tails(head):
        for m in pattern.finditer(sentence):
            cut = _after(sentence, m.end()) or _before(sentence, m.start())
            if cut is not None:
                return cut
    return None


@functools.lru_cache(maxsize=64)
def _tails(head: str) -> tuple[re.Pattern[str], ...]:
    """The term's tails, longest first, each allowing quotes between its characters (a question's
    sentences are scanned with the same few patterns)."""
    return tuple(re.compile(f"[{_QUOTE}]?".join(map(re.escape, head[-n:])))
                 for n in range(len(head), MIN_TERM - 1, -1))


def _after(sentence: str, end: int) -> tuple[int, int] | None:
    while end < len(sentence) and sentence[end] in _QUOTE:
        end += 1
    marker = _AFTER.match(sentence, end)
    if marker is None:
        return None
    stop = _END.search(sentence, marker.end())
    start, stop = marker.end(), stop.start() if stop else len(sentence)
    return (start, stop) if stop - start >= MIN_TERM else None


def _before(sentence: str, start: int) -> tuple[int, int] | None:
    """The enumeration ending right before `start` (的 and quotes between them allowed); its first
    item is as long as its second (实施零上门、零审批 → 零上门: the verb before it is no item)."""
    end = start
    while end > 0 and sentence[end - 1] in "“‘「的":  # the term's opening quote, 的
        end -= 1
    lo = max(sentence.rfind(c, 0, end) for c in "，,；;：:。") + 1
    items = sentence[lo:end].split("、")
    if len(items) < 2 or not all(items):
        return None
    first = items[0][-len(items[1]):] if len(items[0]) > len(items[1]) else items[0]
    return end - len("、".join([first] + items[1:])), end
