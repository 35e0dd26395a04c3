"""Page chrome out, body kept: crawler headers, site navigation and web-page furniture.

Documents saved from the web arrive with things that are not the document:
- a crawler header: `标题: …` / `发布时间: …` / `发布机构: …` lines closed by `==== 正文 ====`, or a
  database export's `【法宝引证码】` and `原文链接：` lines. Its fields are kept (`Chrome.fields`):
  the profile reads the title, date and issuer from them.
- navigation and share furniture: `当前位置：首页 > …`, `【字体：大 中 小】`, `分享到`, `扫一扫在手机打开当前页`,
  `打印本页`, `关闭窗口`, short `来源：…` lines and a web date line.
- a page footer: `责任编辑`, `相关链接>>`, link ids, and whatever the page repeats after them
  (the title, the first sentence). Everything from the first footer marker to the end goes, but
  only when nothing after it is a paragraph of body text.

Only whole lines, or spans at the very start / end of a one-line body, are removed: a sentence
that mentions 来源 or 打印 is body text and stays. No character of the body is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# keys of a crawler's `key: value` header lines
_HEADER_KEYS = ("标题", "发布时间", "文号", "发布机构", "栏目", "原文链接", "本地目录", "来源", "作者",
                "索引号", "主题分类", "成文日期", "发文机关", "发文字号", "发布日期", "信息来源", "链接")
_HEADER_LINE = re.compile(rf"^\s*(?P<k>{'|'.join(_HEADER_KEYS)})\s*[:：]\s*(?P<v>.*)$")
_BODY_RULE = re.compile(r"^\s*[=＝\-—]{3,}\s*正\s*文\s*[=＝\-—]{3,}\s*$")
_EXPORT_LINE = re.compile(r"^\s*(?:【法宝引证码】.*|原文链接[:：]\s*https?://\S+|页面链接与图片详见.*)$")
_MAX_HEADER_LINES = 20  # a crawler header is a handful of lines at the very top

# whole lines that are page furniture, never document text
_CHROME_LINES = re.compile(
    r"^(?:【?\s*字体\s*[:：]?\s*(?:[大中小]\s*){0,3}】?\s*(?:分享(?:到)?[:：]?)?|[大中小]|】|】?\s*分享(?:到)?\s*[:：]?"
    r"|【?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|纠错)\s*】?"
    r"|扫一扫在手机(?:上)?打开(?:当前页)?|相关(?:链接|附件|文件|阅读|新闻)\s*>*\s*[:：]?|附件下载"
    r"|微信\s*微博\s*(?:QQ空间)?|分享到\s*[:：]?.{0,20}"
    r"|当前位置\s*[:：].{0,120}|您的位置\s*[:：].{0,120}"
    r"|来源\s*[:：]\s*[\u4e00-\u9fffA-Za-z]{0,20}|(?:发布)?时间\s*[:：]\s*\d{4}[-年./]\d{1,2}[-月./]\d{1,2}.{0,12}"
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}[时:：]\d{1,2}分?(?:\s*\d{1,2}秒?)?"
    r"|\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)$"
)
# a line that opens the page footer: everything after it is links and repeats
_FOOTER_START = re.compile(r"^(?:责任编辑\s*[:：].{0,12}|【?\s*(?:编辑|审核|校对)\s*[:：].{0,12}"
                           r"|扫一扫在手机(?:上)?打开(?:当前页)?|相关(?:链接|附件)\s*>*\s*[:：]?"
                           r"|打印本页|【?\s*关闭窗口\s*】?)$")
_FOOTER_MAX_LINE = 160  # characters: a longer line after a footer marker is body text, not a link
_FOOTER_MAX_LINES = 60
_LINK_ID = re.compile(r"^[0-9a-f]{16,40}\s*[:：]?$")  # a page's link ids (`abcd…2146:`) before link titles
_WEB_DATE = re.compile(r"^(?:(?:发布)?时间\s*[:：]\s*)?(\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?)")

# a one-line body: navigation at its start, source/download furniture at its end
_INLINE_HEAD = re.compile(r"^\s*(?:当前位置|您的位置|您所在的位置)\s*[:：].{0,300}?(?:QQ空间|分享到\s*[:：]?|打印本页)\s*")
_INLINE_CRUMB = re.compile(r"^\s*(?:当前位置|您的位置|您所在的位置)\s*[:：]\s*\S+\s+")
_INLINE_TAIL = re.compile(
    r"(?:\s+来源\s*[:：]\s*[\u4e00-\u9fff]{2,30})?\s*(?:附件下载|相关文件\s*[:：]\s*《[^》]{2,80}》(?:[（(][^）)]{0,10}[）)])?)\s*$"
    r"|\s+来源\s*[:：]\s*[\u4e00-\u9fff]{2,30}\s*$")
_SOURCE_NAME = 16  # characters: a source's name (a newspaper, a bureau) on the line after `来源：`
_ONE_LINE = 800  # characters: a line this long is a whole body dumped on one line


@dataclass
class Chrome:
    """What was taken off a document: crawler header fields and the removed furniture lines."""

    fields: dict[str, str] = field(default_factory=dict)  # 标题 / 发布时间 / 发布机构 / 来源 …
    removed: list[str] = field(default_factory=list)


def strip_chrome(text: str) -> tuple[str, Chrome]:
    """The document text without crawler header and page furniture, and what was removed."""
    chrome = Chrome()
    lines = text.replace("\r\n", "\n").split("\n")
    lines = _strip_header(lines, chrome)
    lines = _strip_footer(lines, chrome)
    kept: list[str] = []
    source_name = False  # `来源：` alone on a line: the next short line is the source's name
    for ln in lines:
        s = ln.strip()
        if not s:
            kept.append(ln)
            continue
        if source_name and len(s) <= _SOURCE_NAME and not re.search(r"[，。；：:]", s):
            chrome.fields.setdefault("来源", s)
            chrome.removed.append(s)
            source_name = False
            continue
        source_name = False
        if _CHROME_LINES.match(s):
            _note_field(s, chrome)
            chrome.removed.append(s)
            source_name = bool(re.match(r"^来源\s*[:：]$", s))
            continue
        if len(s) >= _ONE_LINE:
            ln = _strip_inline(ln, chrome)
        kept.append(ln)
    return "\n".join(kept), chrome


def _note_field(s: str, chrome: Chrome) -> None:
    m = _WEB_DATE.match(s)
    if m and "发布时间" not in chrome.fields:
        chrome.fields["发布时间"] = m.group(1)
    m = re.match(r"^来源\s*[:：]\s*(\S+)$", s)
    if m and "来源" not in chrome.fields:
        chrome.fields["来源"] = m.group(1)


def _strip_header(lines: list[str], chrome: Chrome) -> list[str]:
    """Drop a crawler header (key: value lines up to a `==== 正文 ====` rule) or export lines."""
    top = [i for i, ln in enumerate(lines[:_MAX_HEADER_LINES]) if ln.strip()]
    rule = next((i for i in top if _BODY_RULE.match(lines[i])), None)
    if rule is not None:
        header = [i for i in top if i < rule]
        if all(_HEADER_LINE.match(lines[i]) or _EXPORT_LINE.match(lines[i]) for i in header):
            for i in header:
                _read_field(lines[i], chrome)
            chrome.removed.extend(lines[i].strip() for i in [*header, rule])
            return lines[rule + 1:]
    cut = 0
    for i in top:
        if _EXPORT_LINE.match(lines[i]) or (cut == i and _HEADER_LINE.match(lines[i]) and _is_header_run(lines, top)):
            _read_field(lines[i], chrome)
            chrome.removed.append(lines[i].strip())
            cut = i + 1
            continue
        if lines[i].strip():
            break
    return lines[cut:]


def _is_header_run(lines: list[str], top: list[int]) -> bool:
    """At least two `key: value` lines in a row open the file: a header, not a body line."""
    return len(top) >= 2 and all(_HEADER_LINE.match(lines[i]) for i in top[:2])


def _read_field(line: str, chrome: Chrome) -> None:
    m = _HEADER_LINE.match(line)
    if m and m.group("v").strip():
        chrome.fields.setdefault(m.group("k"), m.group("v").strip())


def _strip_footer(lines: list[str], chrome: Chrome) -> list[str]:
    """Cut from the first footer marker near the end when only short link lines follow it."""
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    for i in nonblank[-_FOOTER_MAX_LINES:]:
        if not _FOOTER_START.match(lines[i].strip()):
            continue
        after = [lines[j].strip() for j in nonblank if j > i]
        before = sum(len(lines[j].strip()) for j in nonblank if j < i)
        # a footer closes a page: it has more body above it than links below it
        if all(len(s) <= _FOOTER_MAX_LINE for s in after) and before > sum(map(len, after)):
            chrome.removed.extend([lines[i].strip(), *after])
            return lines[:i]
        return lines
    return lines


def _strip_inline(line: str, chrome: Chrome) -> str:
    """Navigation at the start and source/download furniture at the end of a one-line body."""
    m = _INLINE_HEAD.match(line) or _INLINE_CRUMB.match(line)
    if m:
        chrome.removed.append(m.group(0).strip())
        line = line[m.end():]
    m = _INLINE_TAIL.search(line)
    if m:
        chrome.removed.append(m.group(0).strip())
        src = re.search(r"来源\s*[:：]\s*([\u4e00-\u9fff]{2,30})", m.group(0))
        if src:
            chrome.fields.setdefault("来源", src.group(1))
        line = line[:m.start()]
    return line
