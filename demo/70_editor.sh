#!/usr/bin/env bash
# Editor: the language server's diagnostics, quick fix and hover
# demo/clients/lsp_session.py plays the editor: it starts the real `toolkit lsp` over stdio,
# opens demo/lint_example/pipelines/orders.py (read, never written: the fix is applied to an
# in-memory copy), prints the problems panel, the quick fixes for one SPK101 finding and the
# preferred fix's edit, the hover over it, then shuts the server down and checks its exit.
set -euo pipefail
OUT="$DEMO_OUT/editor"
rm -rf "$OUT" && mkdir -p "$OUT"
python="$(dirname "$(command -v toolkit)")/python"
example="$DEMO_ROOT/lint_example"

# The server runs in $OUT, so anything it writes stays in the demo's scratch folder.
"$python" "$DEMO_ROOT/clients/lsp_session.py" \
  "$example" "$example/pipelines/orders.py" --server-cwd "$OUT" | tee "$OUT/session.txt"
