"""Project templates and the renderer behind `toolkit scaffold` and `toolkit new`.

The pure core, shared by the CLI and the MCP server:

    from skeletons import validate_answers, render_project
    answers, problems = validate_answers({"project_name": "Customer 360", "compute": "classic"})
    created = render_project(answers, "customer-360")   # when `problems` is empty

Importing this package is light; jinja2, libcst and ruamel.yaml load when used.
"""

from skeletons.answers import ANSWER_KEYS, AnswerProblem, default_answers, validate_answers
from skeletons.project import project_files, render_project, scaffold_project

__all__ = [
    "ANSWER_KEYS",
    "AnswerProblem",
    "default_answers",
    "project_files",
    "render_project",
    "scaffold_project",
    "validate_answers",
]
