#!/usr/bin/env bash
# Lint: PySpark and Databricks problems found and fixed
# demo/lint_example holds a pipeline module and a Databricks notebook with known problems.
# Lint them, show one finding's rule, fix a copy in $DEMO_OUT (the bundled files stay as
# they are), and lint the copy again: what is left needs a person.
set -euo pipefail
OUT="$DEMO_OUT/lint"
rm -rf "$OUT" && mkdir -p "$OUT"
cp -r "$DEMO_ROOT/lint_example/." "$OUT/"
cd "$OUT"

echo '$ toolkit lint'
toolkit lint --no-cache || echo "(exit $?: findings)"
echo
echo '$ toolkit lint --statistics'
toolkit lint --no-cache --statistics || true
echo
echo '$ toolkit rule SPK205 | head -12'
toolkit rule SPK205 | head -12
echo
echo '$ toolkit fix --diff    # what the safe fixes would change'
toolkit fix --diff 2>&1 || true
echo
echo '$ toolkit fix'
toolkit fix || echo "(exit $?: findings without a safe fix remain)"
echo
echo '$ toolkit lint    # again, on the fixed copy'
toolkit lint || echo "(exit $?: what is left needs a person)"
echo
echo '$ toolkit lint --format github pipelines/orders.py | head -3    # CI annotations'
toolkit lint --format github pipelines/orders.py | head -3 || true
echo
echo '$ toolkit lint --format sarif --output lint.sarif    # for GitHub code scanning'
toolkit lint --format sarif --output lint.sarif || true
"$(dirname "$(command -v toolkit)")/python" - <<'PY'
import json

run = json.load(open("lint.sarif"))["runs"][0]
print(f"lint.sarif: {len(run['results'])} results, {len(run['tool']['driver']['rules'])} rules described")
PY
