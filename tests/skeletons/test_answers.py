import pytest

from skeletons.answers import (
    ANSWER_KEYS,
    default_answers,
    derive_package_name,
    parse_bool,
    validate_answers,
)


@pytest.mark.parametrize(
    ("project_name", "package"),
    [
        ("Customer 360", "customer_360"),
        ("sales-forecast", "sales_forecast"),
        ("360 view", "p_360_view"),
        ("Orders.Daily  (EU)", "orders_daily_eu"),
        ("json", "json_project"),  # a stdlib module
        ("toolkit", "toolkit_project"),  # would shadow the toolkit itself
        ("class", "class_project"),  # a keyword
    ],
)
def test_package_name_is_derived_importable(project_name, package):
    assert derive_package_name(project_name) == package
    answers, problems = validate_answers({"project_name": project_name})
    assert answers["package_name"] == package
    assert [p.key for p in problems if p.key != "project_name"] == []


def test_defaults_cover_every_key_and_are_valid():
    answers, problems = validate_answers({})
    assert problems == []
    assert set(answers) == set(ANSWER_KEYS)
    assert answers == default_answers("my-data-project")


@pytest.mark.parametrize(
    ("key", "value", "allowed_words"),
    [
        ("cloud", "oracle", "aws, azure, gcp"),
        ("compute", "gpu", "serverless, classic"),
        ("ci", "jenkins", "github, none"),
        ("python_version", "3.9", "3.10, 3.11, 3.12"),
        ("include_samples", "maybe", "true or false"),
        ("package_name", "My-Package", "lower case"),
        ("package_name", "pyspark", "shadow"),
        ("catalog_dev", "Dev Catalog", "Unity Catalog name"),
        ("owner", "not an@address", "e-mail address"),
        ("project_name", "9lives", "must start with a letter"),
        ("description", 'says "hi"', "double quotes"),
    ],
)
def test_a_bad_answer_says_what_is_allowed(key, value, allowed_words):
    answers, problems = validate_answers({key: value})
    assert [p.key for p in problems] == [key]
    assert allowed_words in problems[0].message
    if key != "project_name":  # the others derive from it
        assert answers[key] == default_answers()[key]  # the bad value is not used


def test_unknown_key_suggests_the_closest():
    _, problems = validate_answers({"compte": "classic"})
    assert problems[0].key == "compte"
    assert "did you mean 'compute'?" in problems[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", True), ("OFF", False), ("1", True), ("false", False), (True, True), ("x", None)],
)
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


def test_yaml_number_python_versions_are_understood():
    # YAML reads `python_version: 3.10` as the float 3.1.
    answers, problems = validate_answers({"python_version": 3.1})
    assert problems == []
    assert answers["python_version"] == "3.10"
    answers, _ = validate_answers({"python_version": 3.12})
    assert answers["python_version"] == "3.12"


def test_owner_may_be_a_user_or_a_group():
    for owner in ("ana@example.com", "data-platform team"):
        answers, problems = validate_answers({"owner": owner})
        assert problems == [] and answers["owner"] == owner
