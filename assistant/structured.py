"""Answers computed from parsed table rows, by domain: indicator values (assistant.indicators),
project facts (assistant.projects) and project aggregates (assistant.aggregates).

Each function returns an Answer or None (the question is not of its kind); see the modules.
"""

from assistant.aggregates import answer_aggregate, answer_keyword_list, answer_superlative
from assistant.indicators import answer_compare, answer_indicator, best_indicators, indicator_score
from assistant.projects import RowLacksAttribute, answer_project, contradicts, find_projects, named_project

__all__ = ["RowLacksAttribute", "answer_aggregate", "answer_compare", "answer_keyword_list", "answer_indicator", "answer_project", "answer_superlative",
           "best_indicators", "contradicts", "find_projects", "indicator_score", "named_project"]
