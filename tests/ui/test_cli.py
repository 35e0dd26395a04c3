"""The `planqa` command as a new user meets it: progress on the first index build, exit codes."""

from __future__ import annotations

import pytest

from ui import cli

PLAN = """测试市新材料产业发展规划

一、发展目标

到2030年，测试市新材料产业总产值达到987.6亿元，年均增长12%。
"""


def test_an_empty_question_exits_2_with_a_message(capsys):
    assert cli.main(["ask", "   "]) == 2
    assert "问题为空" in capsys.readouterr().err


def test_a_too_long_question_exits_2(capsys):
    assert cli.main(["ask", "问" * 5000]) == 2
    assert "问题过长" in capsys.readouterr().err


@pytest.mark.slow
def test_first_ask_on_an_empty_home_builds_the_index_with_progress_on_stderr(tmp_path, monkeypatch, capsys,
                                                                              embedding_cache_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "test-plan.txt").write_text(PLAN, encoding="utf-8")
    monkeypatch.setattr("ingest.pipeline.BUNDLED_CORPUS", corpus)
    index = str(tmp_path / "home" / "index")

    assert cli.main(["ask", "测试市新材料产业总产值到2030年达到多少？", "--index", index]) == 0
    out = capsys.readouterr()
    assert "987.6" in out.out.split("\n")[0]
    assert "尚无索引，正在为内置文档建立索引（1 个文件" in out.err
    assert "[1/1] 正在解析并索引 test-plan.txt" in out.err and "索引已建立" in out.err

    # the index exists now: no build messages; an abstention is a normal answer (exit 0)
    assert cli.main(["ask", "到2099年测试市的人口目标是多少？", "--index", index]) == 0
    out = capsys.readouterr()
    assert "尚无索引" not in out.err


@pytest.mark.slow
def test_projects_of_a_park_print_the_stated_total_and_why_it_differs(bundled_index, bundled_index_dir, capsys):
    from ui import web_totals
    from ui.web_views import park_names, same_park

    records = bundled_index.records
    rows, summary = records.projects(), records.summary_rows()
    for park in park_names(rows):
        mine = [r for r in rows if same_park(r.park or "", park)]
        comp = web_totals.compare(park, mine, rows, summary, same_park, lambda r: r.park)
        if comp.differs and comp.reasons and all(r.park == park for r in mine):
            break
    else:
        pytest.skip("no park of this corpus has a stated total that differs from its rows")
    assert cli.main(["projects", "--park", park, "--index", str(bundled_index_dir)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[-3].startswith(f"共 {comp.count} 个项目")
    assert f"{comp.stated.count} 个项目" in lines[-2] and "两者不一致" in lines[-2]
    assert lines[-1].startswith("差异：")
