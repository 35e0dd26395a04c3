"""No silent replacement: uploads get new ids unless replacing was asked for, bundled documents are
never replaced from the UI, every replaced or removed version stays restorable and is logged.
Plus the upload checks that need no server: origin of the file, type by content, count."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from index.history import changes
from index.store import Index, ingest, remove
from ui import cli
from ui.uploads import MAX_UPLOAD_FILES, content_problem, stage_uploads

V1 = "测试市工业发展规划\n\n一、发展目标\n\n到2025年，全市规上工业总产值达到300亿元。\n"
V2 = "测试市工业发展规划（修订）\n\n一、发展目标\n\n到2025年，全市规上工业总产值达到350亿元。\n"


@pytest.fixture
def indexed(tmp_path, embedding_cache_dir) -> tuple[Path, Path]:
    """An index holding one user document, `plan.txt` (V1), and the folder uploads come from."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "plan.txt").write_text(V1, encoding="utf-8")
    index_dir = tmp_path / "home" / "index"
    ingest([src / "plan.txt"], index_dir, progress=False)
    return index_dir, src


def test_an_upload_under_a_taken_name_gets_a_new_id_unless_replacing(indexed):
    index_dir, src = indexed
    upload = src / "upload"
    upload.mkdir()
    (upload / "plan.txt").write_text(V2, encoding="utf-8")

    saved, lines = stage_uploads([str(upload / "plan.txt")], index_dir, src)
    assert [p.name for p in saved] == ["plan-2.txt"] and not lines
    saved, _ = stage_uploads([str(upload / "plan.txt")], index_dir, src, replace=True)
    assert [p.stem for p in saved] == ["plan"]


def test_a_replaced_version_is_logged_and_restorable(indexed):
    index_dir, src = indexed
    (src / "plan.txt").write_text(V2, encoding="utf-8")  # edited in place, then re-ingested
    report = ingest([src / "plan.txt"], index_dir, progress=False)
    assert report.updated == ["plan"]
    [entry] = changes(index_dir, "plan")
    assert entry["action"] == "replace" and entry["kept_copy"]
    assert Path(entry["kept_copy"]).read_text(encoding="utf-8") == V1

    ingest([Path(entry["kept_copy"])], index_dir, progress=False)  # the restore
    idx = Index.open(index_dir)
    assert "300亿元" in idx.records.document_text("plan") and "350亿元" not in idx.records.document_text("plan")
    assert idx.manifest["doc_ids"] == ["plan"]


def test_remove_is_logged_and_tells_how_to_restore(indexed, capsys):
    index_dir, _ = indexed
    assert cli.main(["remove", "plan", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    [entry] = changes(index_dir, "plan")
    assert entry["action"] == "remove" and entry["chunks"] >= 1
    assert f"planqa ingest {entry['kept_copy']}" in out
    assert ingest([Path(entry["kept_copy"])], index_dir, progress=False).added == ["plan"]
    assert not remove("no-such-doc", index_dir)


def test_a_bundled_document_is_never_replaced_from_the_ui(bundled_index_dir, tmp_path):
    fake = tmp_path / "dalian-coastal-transformation-2019.txt"
    fake.write_text(V1, encoding="utf-8")
    saved, lines = stage_uploads([str(fake)], bundled_index_dir, tmp_path, replace=True)
    assert [p.stem for p in saved] == ["dalian-coastal-transformation-2019-2"]
    assert any("内置文档不能从界面替换" in ln for ln in lines)
    for p in saved:
        p.unlink()


def test_files_outside_the_upload_folder_are_refused(tmp_path):
    root = tmp_path / "uploads-root"
    root.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text(V1, encoding="utf-8")
    link = root / "link.txt"
    link.symlink_to(outside)
    traversal = root / ".." / "secret.txt"
    saved, lines = stage_uploads([str(outside), str(link), str(traversal)], tmp_path / "home" / "index", root)
    assert saved == [] and len(lines) == 3 and all("不是本次上传的文件" in ln for ln in lines)


def test_type_is_judged_by_content_not_suffix(tmp_path):
    fake_pdf = tmp_path / "report.pdf"
    fake_pdf.write_text(V1, encoding="utf-8")
    zip_txt = tmp_path / "notes.txt"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.bin", b"\x00" * 100)
    zip_txt.write_bytes(buf.getvalue())
    real = tmp_path / "plan.md"
    real.write_text(V1, encoding="utf-8")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(V1.encode("utf-16"))
    assert "纯文本" in content_problem(fake_pdf)
    assert "压缩包" in content_problem(zip_txt)
    assert content_problem(real) is None and content_problem(utf16) is None


def test_at_most_ten_files_per_upload(tmp_path):
    files = []
    for i in range(MAX_UPLOAD_FILES + 2):
        f = tmp_path / f"p{i}.txt"
        f.write_text(V1 + f"第{i}份。\n", encoding="utf-8")
        files.append(str(f))
    saved, lines = stage_uploads(files, tmp_path / "home" / "index", tmp_path)
    assert len(saved) == MAX_UPLOAD_FILES and "最多上传 10 个文件" in lines[-1]


def test_serving_beyond_loopback_needs_an_explicit_flag(capsys):
    from ui.web import ExposureRefused, serve

    with pytest.raises(ExposureRefused):
        serve("0.0.0.0", 0)
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "--allow-remote" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_ask_with_undecodable_arguments_prints_no_traceback(bundled_index_dir):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "ask", os.fsdecode(b"\xed\xa0\x80\xff\xfe") + "是多少？",
                           "--index", str(bundled_index_dir)], capture_output=True, cwd=root, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr[-500:]
    assert json.dumps(proc.stdout.decode("utf-8", "replace"))


def test_a_worker_over_its_time_budget_is_killed_and_reported(tmp_path):
    from ui.uploads import run_worker

    plan = tmp_path / "plan.txt"
    plan.write_text(V1, encoding="utf-8")
    result = run_worker([plan], tmp_path / "home" / "index", timeout_s=0.3)
    assert result["files"]["plan.txt"]["status"] == "error"
    assert "超时" in result["files"]["plan.txt"]["reason"] and not result["changed"]
    assert not (tmp_path / "home" / "index").exists()
