"""A real editor: headless Neovim (Debian's package) attaches `toolkit lsp` to a file with
known problems, receives the diagnostics, asks for a hover and a code action, and writes what
it got to a JSON file that the test reads.

The Lua config uses `vim.lsp.start` where the editor has it (0.8+) and `vim.lsp.start_client`
with `buf_attach_client` on older releases (Debian 12 ships 0.7)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.timeout(300)]

TOOLKIT = Path(sys.executable).with_name("toolkit")

JOB = """\
from pyspark.sql import functions as F

df = spark.table("sales.orders")
x = "😀"; late = df.filter(F.col("shipped_at") == None)
rows = df.collect()
"""

CONFIG = r"""
local out = vim.env.TOOLKIT_NVIM_OUT
local received = {}
local original = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and #result.diagnostics > 0 then
    received = result.diagnostics
  end
  return original(err, result, ctx, config)
end

local config = {
  name = "toolkit",
  cmd = { vim.env.TOOLKIT_BIN, "lsp" },
  root_dir = vim.fn.getcwd(),
  -- Pushed findings whatever the release: Neovim 0.10+ could also pull them.
  init_options = { ["diagnostic-mode"] = "push" },
}
local buffer = vim.api.nvim_get_current_buf()
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buffer, client_id)
end

local report = { client = client_id }
report.got_diagnostics = vim.wait(60000, function() return #received > 0 end, 50)
report.diagnostics = received

-- Hover at the start of the SPK101 finding (line 4, 0-based 3).
local client = vim.lsp.get_client_by_id(client_id)
local spk101
for _, d in ipairs(received) do
  if d.code == "SPK101" then spk101 = d end
end
if spk101 then
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buffer) },
    position = spk101.range.start,
  }
  local hover = client.request_sync("textDocument/hover", params, 20000, buffer)
  report.hover = hover and hover.result and hover.result.contents.value or vim.NIL
  local action_params = {
    textDocument = { uri = vim.uri_from_bufnr(buffer) },
    range = spk101.range,
    context = { diagnostics = { spk101 } },
  }
  local actions = client.request_sync("textDocument/codeAction", action_params, 20000, buffer)
  report.actions = {}
  for _, action in ipairs(actions and actions.result or {}) do
    table.insert(report.actions, action.title)
  end
end

local file = io.open(out, "w")
file:write(vim.fn.json_encode(report))
file:close()
vim.lsp.stop_client(client_id)
vim.cmd("qa!")
"""


@pytest.fixture(scope="module")
def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        pytest.fail("nvim is not installed: `make editor` (or apt-get install -y neovim)")
    return found


def test_neovim_receives_diagnostics_hover_and_actions(nvim: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.toolkit]\n")
    job = tmp_path / "job.py"
    job.write_text(JOB, encoding="utf-8")
    config = tmp_path / "attach.lua"
    config.write_text(CONFIG)
    out = tmp_path / "report.json"
    completed = subprocess.run(
        [
            nvim,
            "--headless",
            "-n",
            "-i",
            "NONE",
            "-u",
            "NONE",
            "-c",
            f"luafile {config}",
            str(job),
        ],
        cwd=tmp_path,
        env={
            "PATH": f"{TOOLKIT.parent}:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "TOOLKIT_BIN": str(TOOLKIT),
            "TOOLKIT_NVIM_OUT": str(out),
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert out.is_file(), f"no report from nvim: {completed.stdout}\n{completed.stderr}"
    report = json.loads(out.read_text())
    assert report["got_diagnostics"] is True, report
    by_code = {d["code"]: d for d in report["diagnostics"]}
    assert {"SPK101", "SPK201"} <= set(by_code)
    spk101 = by_code["SPK101"]
    line = JOB.splitlines()[3]
    # UTF-16 columns: the emoji before the finding counts twice.
    assert spk101["range"]["start"] == {"line": 3, "character": line.index("F.col") + 1}
    assert spk101["severity"] == 1
    assert spk101["codeDescription"]["href"].endswith("#spk101-column-compared-to-none")
    assert by_code["SPK201"]["range"]["start"]["line"] == 4
    assert report["hover"].startswith("# SPK101 column-compared-to-none")
    assert "SPK101: Replace with `.isNull()`" in report["actions"]
    assert "Disable SPK101 for this line" in report["actions"]
