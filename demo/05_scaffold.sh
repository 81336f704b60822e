#!/usr/bin/env bash
# Scaffold: a new Databricks project, its pipelines run locally
set -euo pipefail
project="$DEMO_OUT/customer-360"

echo "$ toolkit scaffold 'Customer 360' --no-input --set compute=classic -o \$DEMO_OUT"
toolkit scaffold "Customer 360" --no-input --set compute=classic -o "$DEMO_OUT"

echo
echo "The project:"
(cd "$project" && find . -type f | sort | sed 's|^\./|  |')

echo
echo "$ customer_360 --env local bronze silver gold    # one Spark session for the three"
cd "$project"
log="$DEMO_OUT/customer-360-run.log"
PYTHONPATH="$project/src" TOOLKIT_LOG_FORMAT=console \
  python -m customer_360.pipelines --env local bronze silver gold >"$log" 2>&1 \
  || { cat "$log"; exit 1; }
grep -E 'customer_360\.pipelines\.[a-z]+:' "$log" | sed -E 's/^[0-9:.]+ +//' | cut -c1-200

echo
echo "Tables written (Parquet under data/lake/ locally; Delta tables on Databricks):"
find data/lake -mindepth 3 -maxdepth 3 -type d | sort | sed 's|^|  |'
gold_rows=$(grep 'pipelines.gold: metrics' "$log" | sed -E 's/.*"rows_written": ([0-9]+).*/\1/')
echo "Final table local.customer_360_gold.daily_revenue: $gold_rows rows"
