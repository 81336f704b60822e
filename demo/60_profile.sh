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
echo "$ python -c 'toolkit.validation.validate(df, rules)'   # the pipeline side"
python - "$data" "$rules" <<'PY' 2> >(grep -v -E 'WARN|log4j|setLogLevel' >&2)
import sys

from toolkit.spark import get_spark
from toolkit.validation import split, validate

data, rules = sys.argv[1:]
spark = get_spark()
df = spark.read.options(header=True, inferSchema=True).csv(data)
print(validate(df, rules).summary())
valid, quarantined = split(df, rules)
print(f"valid rows: {valid.count()}, quarantined rows: {quarantined.count()}")
PY
