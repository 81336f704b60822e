import json
import subprocess
import sys

from click.testing import CliRunner

from toolkit.commands.config import config as config_command
from toolkit.config import ConfigProblem, validate_config_dir


def test_valid_project_has_no_problems(project):
    assert validate_config_dir(project / "config") == []
    assert validate_config_dir(project) == []  # the project folder works too


def test_every_environment_is_checked_and_all_problems_reported(project, write_file):
    write_file(project / "config" / "lab.yaml", "catalog:\n  name: lab-ok\nretry:\n  jitter: -1\n")
    prod = write_file(
        project / "config" / "prod.yaml",
        "catalog:\n  name: ${PROD_CATALOG}\nspark:\n  mastr: yarn\n",
    )
    broken = write_file(project / "config" / "qa.yaml", "catalog: {name: [\n")
    problems = validate_config_dir(project / "config")
    assert all(isinstance(problem, ConfigProblem) for problem in problems)
    found = {(problem.file, problem.field) for problem in problems}
    assert found == {
        (str(project / "config" / "lab.yaml"), "retry.jitter"),
        (str(prod), "spark.mastr"),
        (str(broken), ""),
    }
    mastr = next(problem for problem in problems if problem.field == "spark.mastr")
    assert (mastr.line, mastr.column) == (4, 3)
    assert mastr.message.startswith("unknown key; expected one of: master, app_name, conf")


def test_a_problem_in_project_yaml_is_reported_once(project, write_file):
    write_file(project / "config" / "prod.yaml", "catalog:\n  name: prod\n")
    text = (project / "config" / "project.yaml").read_text() + "extra_section: 1\n"
    write_file(project / "config" / "project.yaml", text)
    problems = validate_config_dir(project / "config")
    assert [problem.field for problem in problems] == ["extra_section"]


def test_missing_folder_or_project_file(tmp_path):
    [problem] = validate_config_dir(tmp_path / "nope")
    assert problem.message == "config folder does not exist"
    [problem] = validate_config_dir(tmp_path)
    assert "no project.yaml" in problem.message


def test_cli_validate_reports_all_and_exits_1(project, write_file):
    write_file(
        project / "config" / "prod.yaml", "catalog:\n  name: a b\nretry:\n  max_attempts: x\n"
    )
    result = CliRunner().invoke(config_command, ["validate", "--config-dir", str(project)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "Found 2 problems."
    assert lines[0].startswith(f"{project / 'config' / 'prod.yaml'}:2:3: catalog.name: got 'a b'")
    ok = CliRunner().invoke(config_command, ["validate", "--config-dir", str(project / "config")])
    assert ok.exit_code == 1  # prod.yaml still broken
    (project / "config" / "prod.yaml").unlink()
    ok = CliRunner().invoke(
        config_command, ["validate", "--config-dir", str(project), "--format", "json"]
    )
    assert (ok.exit_code, json.loads(ok.output)) == (0, [])


def test_cli_show_masks_secrets_in_yaml_and_json(project, write_file, monkeypatch):
    monkeypatch.setenv("API_TOKEN", "very-secret-1")
    write_file(
        project / "config" / "dev.yaml",
        "catalog:\n  name: dev_analytics\nspark:\n  remote:\n    token: very-secret-2\n"
        "settings:\n  db_password: very-secret-3\n",
    )
    runner = CliRunner()
    shown = runner.invoke(config_command, ["show", "--env", "dev", "--config-dir", str(project)])
    assert shown.exit_code == 0, shown.output
    assert "very-secret" not in shown.output
    assert "name: dev_analytics" in shown.output and "token: '**********'" in shown.output
    as_json = runner.invoke(
        config_command, ["show", "--config-dir", str(project), "--format", "json"]
    )
    data = json.loads(as_json.output)
    assert data["environment"] == "local"
    assert data["settings"]["api_token"] == "**********"
    assert data["catalog"]["name"] == "local_analytics"


def test_installed_command_prints_error_without_traceback(project):
    # The real console script: a user mistake is one `error:` line and exit code 2.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "config",
            "show",
            "--env",
            "qa",
            "--config-dir",
            str(project),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: no config for environment 'qa'")
    assert "Traceback" not in result.stderr
