#!/usr/bin/env bash
# Testing agent: chispa tests generated and run
# The example project's bronze-to-silver transforms (demo/example/customer_360) get chispa
# tests whose expected rows come from running them on local Spark; then pytest runs those
# tests, and a second generation adds nothing.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
PYTHON="$(dirname "$(command -v toolkit)")/python"
PROJECT="$DEMO_OUT/gen-tests"
mkdir -p "$PROJECT"
cp -R "$DEMO_ROOT/example/customer_360" "$DEMO_ROOT/example/config" "$PROJECT/"
printf '[project]\nname = "customer-360"\n\n[tool.ruff]\nline-length = 100\n' > "$PROJECT/pyproject.toml"
cd "$PROJECT"

echo '$ toolkit gen-tests customer_360'
toolkit gen-tests customer_360
echo
TEST=tests/customer_360/test_bronze_to_silver.py
echo "\$ grep -A 14 'actual_deduplicated, actual_rejected =' $TEST | cut -c1-110"
grep -A 14 'actual_deduplicated, actual_rejected =' "$TEST" | cut -c1-110
echo '    ...'
echo
echo '$ pytest tests -q'
PYTHONPATH="$PROJECT" "$PYTHON" -m pytest tests -q -p no:cacheprovider -o addopts= 2>&1 \
  | grep -v -e 'PytestDeprecationWarning' -e 'asyncio_default_fixture_loop_scope' \
            -e 'event loop scope' -e 'warnings.warn' -e '^$'
echo
echo '$ toolkit gen-tests customer_360    # again: the tests exist, nothing is added'
toolkit gen-tests customer_360
