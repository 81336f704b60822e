import codecs
import os
import stat

import pytest

from toolkit.textio import UnreadableFileError, read_text_file, write_text_atomic


@pytest.mark.parametrize(
    ("raw", "newline", "bom"),
    [
        (b"a = 1\nb = 2\n", "\n", False),
        (b"a = 1\r\nb = 2\r\n", "\r\n", False),
        (codecs.BOM_UTF8 + b"a = '\xc3\xa9'\r\n", "\r\n", True),
    ],
)
def test_round_trip_keeps_bom_line_endings_and_mode(tmp_path, raw, newline, bom):
    target = tmp_path / "f.py"
    target.write_bytes(raw)
    os.chmod(target, 0o755)
    source = read_text_file(target)
    assert "\r" not in source.text
    assert (source.newline, source.bom) == (newline, bom)
    write_text_atomic(target, source.text + "c = 3\n", like=source)
    assert target.read_bytes() == raw + ("c = 3" + newline).encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["f.py"]  # no temporary file left behind


def test_binary_and_non_utf8_files_are_refused_with_the_reason(tmp_path):
    binary = tmp_path / "b.py"
    binary.write_bytes(b"\x00\x01\x02")
    latin = tmp_path / "l.py"
    latin.write_bytes(b"name = '\xe9'\n")
    with pytest.raises(UnreadableFileError, match="binary"):
        read_text_file(binary)
    with pytest.raises(UnreadableFileError, match="not valid utf-8"):
        read_text_file(latin)


def test_writing_through_a_symlink_changes_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "target.py"
    target.write_text("a = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    write_text_atomic(link, "a = 2\n", like=read_text_file(link))
    assert link.is_symlink()
    assert target.read_text() == "a = 2\n"
