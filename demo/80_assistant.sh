#!/usr/bin/env bash
# Assistant: the toolkit as MCP tools
# demo/clients/mcp_session.py plays the assistant: with the official MCP SDK's client it starts
# the real `toolkit mcp` over stdio, declares a copy of demo/lint_example in $DEMO_OUT as its
# workspace root (the lint tool keeps its cache in the project), lists the tools, calls `lint`
# on pipelines/orders.py and `explain_rule` for SPK101.
set -euo pipefail
OUT="$DEMO_OUT/assistant"
rm -rf "$OUT" && mkdir -p "$OUT/workspace"
cp -r "$DEMO_ROOT/lint_example/." "$OUT/workspace/"
python="$(dirname "$(command -v toolkit)")/python"

"$python" "$DEMO_ROOT/clients/mcp_session.py" \
  "$OUT/workspace" pipelines/orders.py --rule SPK101 | tee "$OUT/session.txt"
