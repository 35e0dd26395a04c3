"""Fixtures: one Assistant over the bundled-corpus index for the whole session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def assistant(bundled_index):
    from assistant.assistant import Assistant

    return Assistant(bundled_index)


@pytest.fixture(scope="session")
def ask(assistant):
    """ask(question) -> answer JSON, first line as `first`."""

    def _ask(question: str, **kw) -> dict:
        out = assistant.ask(question, **kw)
        out["first"] = out["answer"].split("\n", 1)[0]
        return out

    return _ask


def quotes_contain(answer: dict, text: str) -> bool:
    from assistant.numbers import match_form

    return any(match_form(text) in match_form(c["quote"]) for c in answer["citations"])


def verbatim_in_source(assistant, citation: dict) -> bool:
    from assistant.numbers import match_form

    return match_form(citation["quote"]) in assistant.corpus.texts[citation["doc_id"]].form
