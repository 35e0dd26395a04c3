"""The extractive answer's steps import only the steps before them (docs/ARCHITECTURE.md): a later
step may import an earlier one, never the reverse, so the split stays a pipeline. Read from the
source, imports inside functions included; an import only for type checking (`if TYPE_CHECKING:`)
does not count. (Packages: tests/index/test_imports_go_one_way.py.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# assistant/extractive.py's steps, in the order an answer goes through them
EXTRACTIVE_STEPS = ["sentence_terms", "question_terms", "sentence_ranking", "candidates", "answer_clauses",
                    "extractive"]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import of a file, outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                   for stmt in node.body for n in ast.walk(stmt)}
    out = []
    for n in ast.walk(tree):
        if id(n) in typing_only:
            continue
        if isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
            out.append((n.lineno, n.module))
            # `from assistant import vocab` imports the module assistant.vocab
            out += [(n.lineno, f"{n.module}.{a.name}") for a in n.names]
        elif isinstance(n, ast.Import):
            out += [(n.lineno, a.name) for a in n.names]
    return out


def test_extractive_steps_import_only_earlier_steps():
    wrong = []
    for i, step in enumerate(EXTRACTIVE_STEPS):
        path = ROOT / "assistant" / f"{step}.py"
        for line, module in _imports(path):
            name = module.removeprefix("assistant.")
            if name in EXTRACTIVE_STEPS and EXTRACTIVE_STEPS.index(name) >= i:
                wrong.append(f"assistant/{step}.py:{line} imports {module}")
    assert not wrong, "\n".join(wrong)
