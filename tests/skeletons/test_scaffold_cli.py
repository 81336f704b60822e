"""`toolkit scaffold` through the CLI: answers from flags, files and prompts; refusals."""

import subprocess
import sys

import pytest
import yaml

from toolkit.cli import main


def scaffold(*args, **kwargs):
    return main(["scaffold", *args], **kwargs)


def test_no_input_writes_the_project_and_its_answers(tmp_path, capsys):
    code = scaffold("Customer 360", "--no-input", "-o", str(tmp_path), "--set", "cloud=gcp")
    assert code == 0
    root = tmp_path / "customer-360"
    assert "Created 45 files in" in capsys.readouterr().out
    recorded = yaml.safe_load((root / ".toolkit-answers.yml").read_text())
    assert recorded["answers"]["cloud"] == "gcp"
    assert recorded["answers"]["package_name"] == "customer_360"
    assert (root / "src/customer_360/pipelines/silver.py").is_file()


def test_the_recorded_answers_reproduce_the_project(tmp_path):
    scaffold("First", "--no-input", "-o", str(tmp_path / "a"), "--set", "compute=classic")
    answers = tmp_path / "a" / "first" / ".toolkit-answers.yml"
    assert scaffold("--answers", str(answers), "--no-input", "-o", str(tmp_path / "b")) == 0
    first, second = tmp_path / "a" / "first", tmp_path / "b" / "first"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_bad_answers_are_all_reported_with_what_is_allowed(tmp_path, capsys):
    code = scaffold("x", "--no-input", "-o", str(tmp_path), "--set", "cloud=ibm", "--set", "ci=x")
    err = capsys.readouterr().err
    assert code == 2
    assert "cloud = 'ibm' (--set cloud=ibm): must be one of: aws, azure, gcp" in err
    assert "ci = 'x' (--set ci=x): must be one of: github, none" in err
    assert not any(tmp_path.iterdir())


def test_an_answers_file_error_names_the_line(tmp_path, capsys):
    answers = tmp_path / "answers.yml"
    answers.write_text("project_name: Demo\ncomput: classic\n")
    assert scaffold("--answers", str(answers), "--no-input", "-o", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"comput = 'classic' ({answers}:2): unknown answer key; did you mean 'compute'?" in err


def test_set_needs_key_equals_value(tmp_path, capsys):
    assert scaffold("--no-input", "-o", str(tmp_path), "--set", "cloud") == 2
    assert "--set 'cloud': expected KEY=VALUE" in capsys.readouterr().err


def test_an_existing_non_empty_folder_is_refused(tmp_path, capsys):
    target = tmp_path / "demo"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert scaffold("demo", "--no-input", "-o", str(tmp_path)) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_force_adds_what_is_missing_and_keeps_what_is_there(tmp_path, capsys):
    target = tmp_path / "demo"
    target.mkdir()
    (target / "README.md").write_text("my readme")
    (target / "notes.txt").write_text("mine")
    assert scaffold("demo", "--no-input", "-o", str(tmp_path), "--force") == 0
    assert "kept existing README.md" in capsys.readouterr().out
    assert (target / "README.md").read_text() == "my readme"
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "databricks.yml").is_file()


def test_prompts_take_defaults_and_reask_a_bad_answer(tmp_path):
    # project name, package, description, owner, 3 catalogs, cloud, compute, python, samples, ci
    replies = ["Prompted", "", "", "", "", "", "", "mars", "azure", "classic", "", "n", "none"]
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "scaffold", "-o", str(tmp_path)],
        input="\n".join(replies) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Error: 'mars' is not one of 'aws', 'azure', 'gcp'." in result.stdout + result.stderr
    recorded = yaml.safe_load((tmp_path / "prompted/.toolkit-answers.yml").read_text())
    assert recorded["answers"]["package_name"] == "prompted"
    assert recorded["answers"]["cloud"] == "azure"
    assert recorded["answers"]["compute"] == "classic"
    assert recorded["answers"]["include_samples"] is False
    assert recorded["answers"]["ci"] == "none"
    assert not (tmp_path / "prompted/.github").exists()


def test_force_with_a_file_where_a_folder_goes_writes_nothing(tmp_path, capsys):
    package = tmp_path / "my-data-project" / "src" / "my_data_project"
    package.parent.mkdir(parents=True)
    package.touch()
    assert scaffold("--no-input", "-o", str(tmp_path), "--force") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "src/my_data_project is a file" in err
    written = [p for p in (tmp_path / "my-data-project").rglob("*") if p.is_file()]
    assert written == [package]


def test_an_unknown_set_key_shows_the_value_given(tmp_path, capsys):
    assert scaffold("--no-input", "-o", str(tmp_path), "--set", "foo=bar") == 2
    assert "foo = 'bar' (--set foo=bar): unknown answer key" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "found"),
    [("", "an empty file"), ("# only a comment\n", "an empty file"), ("- a\n- b\n", "a list")],
)
def test_an_answers_file_that_is_not_a_mapping_says_what_it_is(tmp_path, capsys, text, found):
    answers = tmp_path / "answers.yml"
    answers.write_text(text)
    assert scaffold("--answers", str(answers), "--no-input", "-o", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"error: {answers}: expected a mapping of answers (key: value), found {found}" in err


def test_a_non_ascii_project_name_is_refused_naming_ascii(tmp_path, capsys):
    assert scaffold("Ünïcode Shop", "--no-input", "-o", str(tmp_path)) == 2
    assert "use only ASCII letters (A-Z, a-z)" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_a_name_and_a_different_set_project_name_conflict(tmp_path, capsys):
    code = scaffold("Alpha", "--no-input", "-o", str(tmp_path), "--set", "project_name=Beta")
    assert code == 2
    err = capsys.readouterr().err
    assert (
        "two project names: 'Alpha' (the NAME argument) and 'Beta' (--set project_name=Beta)" in err
    )
    assert not any(tmp_path.iterdir())
    same = scaffold("Alpha", "--no-input", "-o", str(tmp_path), "--set", "project_name=Alpha")
    assert same == 0 and (tmp_path / "alpha").is_dir()
