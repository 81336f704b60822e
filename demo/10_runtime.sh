#!/usr/bin/env bash
# Runtime: config, Spark, JSON logs
# The sample project in demo/example: its config resolved for two environments, then its
# bronze-to-silver job on local Spark, writing Parquet and one JSON log line per event.
set -euo pipefail
cd "$DEMO_ROOT/example"
export PYTHONDONTWRITEBYTECODE=1
PYTHON="$(dirname "$(command -v toolkit)")/python"
OUT="$DEMO_OUT/runtime"
mkdir -p "$OUT"

echo '$ toolkit config show --env local'
toolkit config show --env local
echo
echo '$ toolkit config show --env dev --format json    # the token is a secret: masked'
DATABRICKS_TOKEN=dapi-not-for-your-eyes toolkit config show --env dev --format json
echo
echo '$ toolkit config validate'
toolkit config validate
echo
echo "\$ TOOLKIT__SETTINGS__OUTPUT_ROOT=$OUT python -m customer_360.bronze_to_silver"
# JSON lines go to stderr; keep them in job.log and show them (minus the JVM's banner line).
TOOLKIT_ENV=local TOOLKIT__SETTINGS__OUTPUT_ROOT="$OUT" \
  "$PYTHON" -m customer_360.bronze_to_silver 2> "$OUT/job.log"
grep -v 'incubator modules' "$OUT/job.log"
echo
echo "Parquet written under $OUT:"
(cd "$OUT" && find . -name '_SUCCESS' -printf '  %h\n' | sort)
echo "Metrics event from the log:"
grep '"event": "metrics"' "$OUT/job.log" | "$PYTHON" -c \
  'import json, sys; m = json.loads(sys.stdin.read()); print("  " + json.dumps(m["metrics"]))'
