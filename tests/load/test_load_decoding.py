"""Bytes -> text: byte order marks, binary files, bytes that are not UTF-8, text damaged by runs
of NUL bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.load import load_inputs
from analyzer.load.decode import DAMAGE, decode

MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: café}\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
    ],
)
def test_byte_order_marks_choose_the_encoding(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "powershell.yaml"
    path.write_bytes(bom + MANIFEST.encode(encoding))
    result = load_inputs([str(path)])
    assert [(o.data["metadata"]["name"], o.location.line) for o in result.objects] == [("café", 1)]
    assert result.skipped == []


def test_utf16_json_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_bytes(
        b"\xff\xfe"
        + '{\r\n  "apiVersion": "v1", "kind": "Namespace",\r\n  "metadata": {"name": "n"}}'.encode(
            "utf-16-le"
        )
    )
    result = load_inputs([str(path)])
    assert [(o.data["metadata"]["name"], o.location.line) for o in result.objects] == [("n", 2)]


def test_binary_and_non_utf8_files_are_one_entry_each(tmp_path: Path) -> None:
    (tmp_path / "a-bin.yaml").write_bytes(b"apiVersion: v1\x00\x01\x02")
    (tmp_path / "b-latin1.yaml").write_bytes(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n")
    (tmp_path / "c-utf16-no-bom.yaml").write_bytes(MANIFEST.encode("utf-16-le"))
    (tmp_path / "d-odd-utf16.yaml").write_bytes(b"\xfe\xff\x00a\x00")
    (tmp_path / "e-gzip.json").write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00")
    result = load_inputs([str(tmp_path)])
    assert result.objects == [] and result.documents == 0
    assert [(Path(s.file).name, s.line, s.reason) for s in result.skipped] == [
        ("a-bin.yaml", None, "binary file (NUL byte at offset 14)"),
        ("b-latin1.yaml", None, "not valid UTF-8 at byte 51"),
        ("c-utf16-no-bom.yaml", None, "binary file (NUL byte at offset 1)"),
        ("d-odd-utf16.yaml", None, "not valid UTF-16-BE at byte 4"),
        ("e-gzip.json", None, "binary file (NUL byte at offset 3)"),
    ]
    assert len(result.files) == 5


def cms(*names: str) -> str:
    return "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n" for n in names)


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (b"a: 1\n" + b"\x00" * 4096 + b"\nb: 2\n", False),  # one run: a damaged region
        (b"\xff\xfea: \x00\x00\x00", False),  # UTF-16 with its mark, a NUL run inside
        ("a: 1\nb: 2\n".encode("utf-16-le"), True),  # NULs scattered, one every other byte
        (b"a: 1\x00\x01\n", True),  # another control character beside the NUL
        (b"\x00" * 100, True),  # nothing but NULs
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xde\xad", True),
    ],
)
def test_nul_bytes_make_a_file_binary_only_when_the_rest_is_not_text(data: bytes, binary: bool) -> None:
    text, reason = decode(data)
    assert (text is None) is binary, reason
    assert (reason or "").startswith("binary file") is binary


def test_a_nul_run_costs_only_the_document_holding_it(tmp_path: Path) -> None:
    damaged = (
        cms("a", "b").encode()
        + b"---\napiVersion: v1\nkind: Conf"
        + b"\x00" * 512
        + b"\n---\n"
        + cms("d").encode()
    )
    (tmp_path / "dump.yaml").write_bytes(b"---\n" + damaged)
    result = load_inputs([str(tmp_path)])
    assert [o.data["metadata"]["name"] for o in result.objects] == ["a", "b", "d"]
    assert [(s.line, s.reason) for s in result.skipped] == [(13, DAMAGE)]
