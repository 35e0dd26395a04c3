"""Upload checks that happen before ingest: unsupported types, size limit, empty files, safe names."""

from __future__ import annotations

from ui.web import AppState
from ui.web_tabs import ingest_uploads


class _NoReload(AppState):
    def reload(self) -> None:  # nothing may be ingested by these uploads
        raise AssertionError("rejected uploads must not re-open the index")


def test_rejected_files_are_reported_one_line_each_and_nothing_is_indexed(tmp_path):
    index_dir = tmp_path / "home" / "index"
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")

    state = _NoReload(None, index_dir)
    state.upload_root = tmp_path  # where the browser's uploads land
    report = ingest_uploads(state, [str(exe), str(big), str(empty)])

    lines = report.split("\n\n")
    assert lines == [
        "【失败】tool.exe：不支持的文件类型（支持 .docx、.htm、.html、.md、.pdf、.txt）",
        "【失败】big.txt：文件过大（21.0 MB，上限 20 MB）",
        "【失败】empty.md：文件为空",
    ]
    assert not index_dir.exists()
    assert not any((tmp_path / "home" / "uploads").iterdir())


def test_no_file_asks_for_one(tmp_path):
    assert ingest_uploads(_NoReload(None, tmp_path / "index"), []) == "请先选择要上传的文件。"


def test_a_second_upload_while_one_is_indexing_is_told_to_wait(tmp_path):
    state = _NoReload(None, tmp_path / "index")
    held = 0
    while state.lock.acquire(blocking=False):  # every worker slot busy
        held += 1
    assert held >= 1
    assert ingest_uploads(state, [str(tmp_path / "x.txt")]) == "正在索引其他文件，请稍后再试。"
