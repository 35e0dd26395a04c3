"""Question analysis: normalise, find the documents, years, parks, indicators and projects it names,
and what it asks for (a value, a list, a count, a sum, a comparison, or an open question)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.numbers import match_form
from assistant.timeframe import AskedTime, asked_time
from assistant.vocab import Vocabulary, expand_synonyms
from index.tokens import Tokenizer, plain_tokenizer

MAX_QUESTION_CHARS = 500

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年|(?=[-—至到~]))")
_YEAR_SHORT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_COUNT = re.compile(r"多少个|几个|多少项|几项|多少家|几家|个数|数量|多少条|共有多少|一共有多少|总数")
_SUM = re.compile(r"总投资|投资总额|投资合计|合计|总计|总额|一共投资|共投资|投资多少|多少投资|投资规模|总金额|投资额")
_LIST = re.compile(r"哪些|列出|列举|清单|名单|有什么项目|都有什么|包括什么|包含哪|分别是")
_COMPARE = re.compile(r"比较|相比|对比|哪个(更|多|高|大|少)|谁(更|多)|差距|差多少|多出|两份|两个文件|分别")
_NUMERIC = re.compile(r"多少|几|多长|多宽|多高|多深|多大|多重|多远|多久|比重|比例|占比|增速|增长率|目标|达到|达|率|数量|金额|规模|浓度|总值|产值|收入|"
                      r"投资|面积|容量|吞吐|指标|数值|值是|为多少")
_PLAN_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
_PLAN_END_RX = re.compile(r"[“\"]?(十[一二三四五]五)[”\"]?(?:规划)?(?:期末|末期|末|收官|结束时)")
_BOTH_DOCS = re.compile(r"两(个|份|部|项)?(规划|文件|方案|文档|计划)|两份|两者|二者|两地|双方|各自的?(规划|文件|方案)")
# the question points at a document itself, not only at a place its title shares
_NAMES_PLAN = re.compile(r"《|规划|方案|计划|文件|文本|文档|纲要|意见|通知")
# The kind of answer a question asks for (`answer_type`), from its asking words alone:
# a figure or a date is a short fact that a record or a figure clause must state (the flow refuses
# rather than guess one); a list, a rule or a way of doing is answered by a document span.
ANSWER_TYPES = ("date", "figure", "list", "policy", "yes_no", "entity", "phrase")
_ASKS_DATE = re.compile(r"何时|什么时候|什么时间|哪天|哪一天|哪一年|哪年|几月|几号|几日|截止日期|起止时间")
_ASKS_FIGURE = re.compile(r"(?<!哪)(?:多少|几(?!乎|类|种方式))|比例|比重|占比|百分之几|多长|多久|多大|多高|多远|多重|"
                          r"增长率|增速")
_ASKS_LIST = re.compile(r"哪些|哪几|有什么|有哪|包括什么|包含什么|包含哪|分别是|列出|列举")
# a rule, a measure, a condition or a way of doing (措施/要求/条件/范围/办法/如何 …)
_ASKS_POLICY = re.compile(r"措施|举措|要求|办法|条件|范围|规定|政策|如何|怎样|怎么|程序|流程|标准|义务|职责|责任|作用|"
                          r"意义|方式|途径|渠道|手续")
_ASKS_YES_NO = re.compile(r"是否|是不是|能否|可否|能不能|可不可以|有没有|还是|吗[？?]?$")
_ASKS_ENTITY = re.compile(r"谁|哪个|哪家|哪所|哪里|哪儿|何地|何处|哪|什么")
# project aspects a question can ask for
ASPECTS: list[tuple[str, re.Pattern[str]]] = [
    ("park", re.compile(r"哪个园区|所属园区|哪个区|位于|在哪|属于哪|园区是|哪里")),
    ("period", re.compile(r"年限|建设期|周期|什么时候|何时|哪年|几年|起止|开工|竣工|建设时间|工期")),
    ("content", re.compile(r"内容|规模|建设什么|建什么|主要建设|占地|建筑面积|做什么")),
    ("progress", re.compile(r"进展|进度|现状|状态|目前|情况如何|到什么程度")),
    ("investment", re.compile(r"投资|多少钱|资金|金额|造价")),
]


@dataclass
class Query:
    raw: str
    norm: str  # matching form (NFKC, no whitespace, Chinese years → digits)
    expanded: str  # norm with general abbreviations written out
    doc_ids: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    time: AskedTime = field(default_factory=AskedTime)  # explicit and relative time, per document later
    parks: list = field(default_factory=list)  # list[ParkGroup]
    park_words: list[str] = field(default_factory=list)  # how the question names them
    categories: list[str] = field(default_factory=list)
    wants_count: bool = False
    wants_sum: bool = False
    wants_list: bool = False
    wants_compare: bool = False
    wants_number: bool = False
    answer_type: str = "phrase"  # one of ANSWER_TYPES (`answer_type`)
    aspects: list[str] = field(default_factory=list)
    unknown_place: str | None = None
    # doc_ids came from words the user chose to name a plan (某县规划里…): a filter, not a preference
    scope_strict: bool = False
    scope_words: list[str] = field(default_factory=list)  # the title words that scoped it (某县, 某市)
    compound_park: str | None = None  # 某岛综合保税区: park words run together into another name
    problem: str | None = None  # a user-input problem that ends analysis (empty, too long, …)
    # the index's jieba instance, for code that cuts the question into words
    tokenizer: Tokenizer = field(default_factory=plain_tokenizer, repr=False, compare=False)


def plan_end_years(norm: str) -> list[int]:
    """The last year of a five-year plan period the question names as its end: 十四五末 → 2025.
    (Not put into Query.years: a text saying 到“十四五”末 does not print the year.)"""
    return list(dict.fromkeys(_PLAN_END[m.group(1)] for m in _PLAN_END_RX.finditer(norm)))


def answer_type(norm: str) -> str:
    """What kind of answer the question (matching form) asks for: `date`, `figure` (多少/几/比例 …),
    `list` (哪些/哪几), `policy` (措施/要求/条件/如何 …), `yes_no`, `entity` (谁/哪个/什么) or
    `phrase`.  The asking words decide, in that order: 「哪几类措施」 is a list, 「多少条措施」 a figure."""
    for kind, rx in (("date", _ASKS_DATE), ("figure", _ASKS_FIGURE), ("list", _ASKS_LIST),
                     ("policy", _ASKS_POLICY), ("yes_no", _ASKS_YES_NO), ("entity", _ASKS_ENTITY)):
        if rx.search(norm):
            return kind
    return "phrase"


def asks_short_fact(q: Query) -> bool:
    """A figure or a date is asked: a short fact a record or a figure clause must state."""
    return q.answer_type in ("date", "figure")


def is_policy_question(q: Query) -> bool:
    """A question about a rule, a measure, a condition or a way of doing (采取哪些措施, 如何申请):
    answered by a document span, a sentence or an enumerated block."""
    return not asks_short_fact(q) and bool(_ASKS_POLICY.search(q.norm))


def input_problem(question: object) -> str | None:
    """A one-line message when the question cannot be analysed at all."""
    if not isinstance(question, str) or not question.strip():
        return "问题为空，请输入问题。"
    n = len(question.strip())
    if n > MAX_QUESTION_CHARS:
        return f"问题过长（{n}字），请缩短到{MAX_QUESTION_CHARS}字以内。"
    if not re.search(r"[\u4e00-\u9fff]", question):
        return "请用中文提问（本系统回答中文规划文件中的问题），例如：到2025年规上工业总产值目标是多少？"
    return None


def analyze(question: str, vocab: Vocabulary) -> Query:
    problem = input_problem(question)
    norm = match_form(question) if isinstance(question, str) else ""
    q = Query(raw=question if isinstance(question, str) else "", norm=norm, expanded=expand_synonyms(norm),
              problem=problem, tokenizer=vocab.tokenizer)
    if problem:
        return q
    years = [int(y) for y in _YEAR.findall(norm)] or [int(y) for y in _YEAR_SHORT.findall(norm)]
    q.years = list(dict.fromkeys(years))
    q.time = asked_time(norm)
    q.doc_ids = vocab.scope_of(norm)
    q.scope_words = vocab.scope_words_in(norm)
    q.scope_strict = bool(q.doc_ids) and bool(_NAMES_PLAN.search(norm))
    if _BOTH_DOCS.search(norm) and len(vocab.scopes) == 2:
        q.doc_ids = [sc.doc_id for sc in vocab.scopes]  # 两个规划里…分别: each indexed plan
        q.scope_strict = True
    for g, word in vocab.parks_in(norm):
        q.parks.append(g)
        # the whole mention, with the park-type word after a short form: 循环 + 经济区
        m = re.search(re.escape(word) + r"(经济技术开发区|经济开发区|产业经济区|经济产业区|经济区|开发区|产业园区|"
                      r"产业园|工业园区|园区|新区|片区|区|园)?", norm)
        q.park_words.append(m.group(0) if m else word)
    q.categories = [c for c in vocab.categories if match_form(c) in norm]
    q.wants_count = bool(_COUNT.search(norm))
    q.wants_sum = bool(_SUM.search(norm)) or ("投资" in norm and bool(re.search(r"多少|几|金额", norm)))
    q.wants_list = bool(_LIST.search(norm))
    q.wants_compare = bool(_COMPARE.search(norm))
    q.wants_number = bool(_NUMERIC.search(norm)) or q.wants_count or q.wants_sum
    q.answer_type = answer_type(norm)
    q.aspects = [name for name, rx in ASPECTS if rx.search(norm)]
    q.unknown_place = vocab.mentions_unknown_place(norm)
    compound = vocab.compound_park(norm)
    if compound and not q.unknown_place and len(q.parks) >= 2:
        q.compound_park = compound
    return q

