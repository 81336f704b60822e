#!/usr/bin/env bash
# Profile: statistics and data-quality rules
set -euo pipefail
data="$DEMO_ROOT/example/data/customers.csv"
rules="$DEMO_OUT/customers.rules.yaml"

echo "$ toolkit profile demo/example/data/customers.csv --rules \$DEMO_OUT/customers.rules.yaml"
toolkit profile "$data" --rules "$rules" 2> >(grep -v -E 'WARN|log4j|setLogLevel' >&2)

echo
echo "The rules file (Databricks Labs DQX format), first rules:"
sed -n '1,40p' "$rules"
echo "  ... $(grep -c '^- name:' "$rules") rules in all"

echo
echo "The pipeline side: toolkit.validation applies the rules to a new batch with bad rows"
python - "$data" "$rules" <<'PY' 2> >(grep -v -E 'WARN|log4j|setLogLevel' >&2)
import sys

from toolkit.spark import get_spark
from toolkit.validation import split, validate

data, rules = sys.argv[1:]
spark = get_spark()
customers = spark.read.options(header=True, inferSchema=True).csv(data)
bad_rows = spark.createDataFrame(
    [
        (1101, None, "Nobody", "nemo@example.com", "NL", "2024-01-02", "10.00"),
        (-7, "Ada", "Again", "ada@example.com", "XX", "2024-01-03", "5.00"),
    ],
    customers.schema,
)
batch = customers.unionByName(bad_rows)
report = validate(batch, rules)
print("\n".join(line for line in report.summary().splitlines() if line.startswith("FAIL")))
valid, quarantined = split(batch, rules)
print(f"valid rows: {valid.count()}, quarantined rows: {quarantined.count()}")
quarantined.select("customer_id", "first_name", "country", "_errors", "_warnings").show(truncate=False)
PY
