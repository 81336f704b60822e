#!/usr/bin/env bash
# Pre-commit: a commit blocked by the hook, then fixed
# A throwaway git repository whose .pre-commit-config.yaml runs the toolkit's hooks as
# `repo: local` hooks (the toolkit is a dev dependency of the project, so this works offline
# and follows the project's pins). A commit with problems is blocked; `toolkit fix` repairs
# them; the same commit then passes.
set -euo pipefail
REPO="$DEMO_OUT/hooks-repo"
rm -rf "$REPO" && mkdir -p "$REPO" && cd "$REPO"
export PRE_COMMIT_HOME="$DEMO_OUT/pre-commit-home"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q -b main .

cat > .pre-commit-config.yaml <<'YAML'
repos:
  - repo: local
    hooks:
      - id: toolkit-lint
        name: toolkit lint
        entry: toolkit-lint
        language: system
        types_or: [python, jupyter]
      - id: toolkit-config
        name: toolkit config
        entry: toolkit-config
        language: system
        files: (^|/)config/[^/]+\.ya?ml$
        require_serial: true
YAML
printf '[tool.toolkit]\nforce-exclude = true\n' > pyproject.toml
mkdir -p pipelines
cat > pipelines/orders.py <<'PY'
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def open_orders(orders: DataFrame) -> DataFrame:
    late = orders.filter(F.col("shipped_at") == None)
    if late.count() == 0:
        raise ValueError("nothing to ship")
    return late
PY
echo '$ cat .pre-commit-config.yaml'
cat .pre-commit-config.yaml
pre-commit install >/dev/null
git add .
echo
echo '$ git commit -m "Open orders"'
if git commit -q -m "Open orders"; then
  echo "unexpected: the commit went through" >&2
  exit 1
fi
echo "(the commit was blocked)"
echo
echo '$ toolkit fix pipelines/orders.py'
toolkit fix pipelines/orders.py
echo
echo '$ git diff'
git --no-pager diff
git add pipelines/orders.py
echo
echo '$ git commit -m "Open orders"'
git commit -q -m "Open orders"
echo
echo '$ git log --oneline'
git --no-pager log --oneline
