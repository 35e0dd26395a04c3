"""`planqa targets` lists indicator rows and, marked as such, the targets stated in prose;
`planqa inspect` shows the document profile."""

from __future__ import annotations

import json

from ui.cli import main


def test_targets_lists_prose_facts_marked(bundled_index_dir, capsys):
    assert main(["targets", "--index", str(bundled_index_dir), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    prose = [r for r in rows if r["prose"]]
    assert prose and any(not r["prose"] for r in rows)
    assert all(r["quote"] and r["measure"] and r["kind"] in ("target", "actual") for r in prose)


def test_inspect_shows_the_profile(bundled_index_dir, capsys):
    assert main(["inspect", "zhuanghe-industry-tech-14th-fyp-2022", "--index", str(bundled_index_dir)]) == 0
    out = capsys.readouterr().out
    assert "Profile:" in out and "period: 2021-2025" in out and "place: 庄河市" in out
