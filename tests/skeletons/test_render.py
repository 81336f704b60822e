"""The renderer: strict templates, safe writes, nothing outside the target."""

from pathlib import Path, PurePosixPath

import pytest

from skeletons.render import render_tree, write_files
from toolkit.errors import ToolkitError


def test_a_missing_answer_is_an_error_not_an_empty_string():
    with pytest.raises(
        ToolkitError, match=r"template job/resources/.*'pipeline_name' is undefined"
    ):
        render_tree("job", {"package_name": "p", "project_slug": "p", "serverless": True})


def test_unknown_template_kind():
    with pytest.raises(ToolkitError, match=r"no templates named 'nope'"):
        render_tree("nope", {})


def test_write_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / "b.txt").write_text("mine")
    files = {PurePosixPath("a.txt"): "new a", PurePosixPath("b.txt"): "new b"}
    with pytest.raises(ToolkitError, match=r"refusing to overwrite existing files in .*: b.txt"):
        write_files(files, tmp_path)
    assert not (tmp_path / "a.txt").exists()
    assert (tmp_path / "b.txt").read_text() == "mine"


def test_keep_existing_writes_the_rest_and_reports_what_it_kept(tmp_path):
    (tmp_path / "b.txt").write_text("mine")
    files = {PurePosixPath("a.txt"): "new a", PurePosixPath("b.txt"): "new b"}
    report = write_files(files, tmp_path, keep_existing=True)
    assert [p.name for p in report.created] == ["a.txt"]
    assert [p.name for p in report.kept] == ["b.txt"]
    assert (tmp_path / "b.txt").read_text() == "mine"


def test_nothing_is_written_outside_the_target(tmp_path):
    target = tmp_path / "project"
    with pytest.raises(ToolkitError, match=r"resolves outside"):
        write_files({PurePosixPath("../escape.txt"): "x"}, target)
    assert not (tmp_path / "escape.txt").exists()
    assert not Path(target).exists()


def test_a_file_where_a_folder_goes_is_refused_before_any_write(tmp_path):
    (tmp_path / "src").write_text("mine")
    files = {PurePosixPath("a.txt"): "new a", PurePosixPath("src/pkg/b.py"): "new b"}
    for keep_existing in (False, True):
        with pytest.raises(ToolkitError, match=r"src is a file, but src/pkg/b.py needs it"):
            write_files(files, tmp_path, keep_existing=keep_existing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
    assert (tmp_path / "src").read_text() == "mine"


def test_a_folder_where_a_file_goes_is_refused_even_when_keeping_existing(tmp_path):
    (tmp_path / "b.txt").mkdir()
    files = {PurePosixPath("a.txt"): "new a", PurePosixPath("b.txt"): "new b"}
    with pytest.raises(ToolkitError, match=r"b.txt is a folder, but b.txt is a file"):
        write_files(files, tmp_path, keep_existing=True)
    assert not (tmp_path / "a.txt").exists()
