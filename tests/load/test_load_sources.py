"""Sources: folders (recursive, sorted, relative display paths), tar archives read in memory,
standard input, pipes, and paths that are not there."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from analyzer.load import LoadResult, load_inputs, sources

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"


def names(result: LoadResult) -> list[str]:
    return [o.data["metadata"]["name"] for o in result.objects]


def test_folder_walk_is_recursive_sorted_and_relative_to_the_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "fixtures" / "x"
    (root / "a").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a" / "b.yaml").write_text(CM % "b")
    (root / "a.json").write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}')
    (root / "c.YML").write_text(CM % "c")
    (root / ".git" / "config.yaml").write_text(CM % "hidden")
    (root / ".kubesnap.yaml").write_text("rules: {}\n")
    (root / "notes.txt").write_text("not read")
    (root / "app.log").write_text("not read")
    monkeypatch.chdir(tmp_path)
    result = load_inputs(["fixtures/x"])
    assert result.files == ["fixtures/x/a.json", "fixtures/x/a/b.yaml", "fixtures/x/c.YML"]
    assert [(o.location.file, o.data["metadata"]["name"]) for o in result.objects] == [
        ("fixtures/x/a.json", "a"),
        ("fixtures/x/a/b.yaml", "b"),
        ("fixtures/x/c.YML", "c"),
    ]
    assert load_inputs(["fixtures/x/"]).files[0] == "fixtures/x/a.json"
    assert load_inputs(["."]).files[0] == "./fixtures/x/a.json"


def test_inputs_keep_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "z.yaml").write_text(CM % "z")
    (tmp_path / "a.yaml").write_text(CM % "a")
    assert names(load_inputs([str(tmp_path / "z.yaml"), str(tmp_path / "a.yaml")])) == ["z", "a"]


def test_an_explicit_file_is_read_whatever_its_name(tmp_path: Path) -> None:
    (tmp_path / "manifest.txt").write_text(CM % "txt")
    assert names(load_inputs([str(tmp_path / "manifest.txt")])) == ["txt"]


def test_missing_path_and_stdin(tmp_path: Path) -> None:
    stdin = io.BytesIO((CM % "piped").encode())
    result = load_inputs(["-", "does/not/exist.yaml"], stdin)
    assert [(o.location.file, o.location.line, o.data["metadata"]["name"]) for o in result.objects] == [
        ("<stdin>", 1, "piped")
    ]
    assert [(s.file, s.line, s.reason) for s in result.skipped] == [
        ("does/not/exist.yaml", None, "no such file or directory")
    ]
    assert result.files == ["<stdin>"]


def test_json_on_stdin() -> None:
    stdin = io.BytesIO(
        b'{"apiVersion": "v1", "kind": "List", "items": [\n{"kind": "Pod", "metadata": {"name": "p"}}]}'
    )
    result = load_inputs(["-"], stdin)
    assert [(o.data["kind"], o.location.line) for o in result.objects] == [("Pod", 2)]


def test_no_stdin_given() -> None:
    result = load_inputs(["-"])
    assert [(s.file, s.reason) for s in result.skipped] == [("<stdin>", "standard input is not available")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_named_pipe_is_read(tmp_path: Path) -> None:
    # What `kubesnap check <(helm template ...)` hands over.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child writes and leaves
        with open(fifo, "wb") as handle:
            handle.write((CM % "from-pipe").encode())
        os._exit(0)
    result = load_inputs([str(fifo)])
    os.waitpid(pid, 0)
    assert names(result) == ["from-pipe"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads everything")
def test_an_unreadable_file_is_an_entry_with_the_os_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(CM % "x")
    path.chmod(0)
    [skip] = load_inputs([str(path)]).skipped
    assert (skip.file, skip.reason) == (str(path), "cannot read: Permission denied")


def add(tar: tarfile.TarFile, name: str, body: bytes = b"", kind: bytes = tarfile.REGTYPE) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(body) if kind == tarfile.REGTYPE else 0
    if kind == tarfile.SYMTYPE:
        info.linkname = "/etc/passwd"
    tar.addfile(info, io.BytesIO(body) if kind == tarfile.REGTYPE else None)


def test_archive_is_read_in_memory_and_unsafe_members_are_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tarfile.open(tmp_path / "x.tgz", "w:gz") as tar:
        add(tar, "good.yaml", (CM % "good").encode())
        add(tar, "../evil.yaml", (CM % "evil").encode())
        add(tar, "/abs.yaml", (CM % "abs").encode())
        add(tar, "link.yaml", kind=tarfile.SYMTYPE)
        add(tar, "./sub/two.json", b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "two"}}')
        add(tar, "readme.md", b"# not read")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = load_inputs(["x.tgz"])
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing extracted
    assert not (tmp_path.parent / "evil.yaml").exists()
    assert [(o.location.file, o.location.line, o.data["metadata"]["name"]) for o in result.objects] == [
        ("x.tgz:good.yaml", 1, "good"),
        ("x.tgz:sub/two.json", 1, "two"),
    ]
    assert [(s.file, s.reason) for s in result.skipped] == [
        ("x.tgz:../evil.yaml", "unsafe member path (absolute or with ..): not read"),
        ("x.tgz:/abs.yaml", "unsafe member path (absolute or with ..): not read"),
    ]
    assert result.files == ["x.tgz:good.yaml", "x.tgz:sub/two.json"]


def test_archive_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with tarfile.open(tmp_path / "many.tar", "w") as tar:
        for i in range(5):
            add(tar, f"m{i}.yaml", (CM % f"m{i}").encode())
    monkeypatch.setattr(sources, "MAX_MEMBERS", 3)
    result = load_inputs([str(tmp_path / "many.tar")])
    assert names(result) == ["m0", "m1", "m2"]
    assert [s.reason for s in result.skipped] == [
        "more than 3 archive members: the rest is not read (raise the limit with --max-archive-members)"
    ]

    monkeypatch.setattr(sources, "MAX_MEMBERS", 100)
    monkeypatch.setattr(sources, "MAX_ARCHIVE_BYTES", 100)
    result = load_inputs([str(tmp_path / "many.tar")])
    assert names(result) == ["m0"]  # 54 bytes each: the second one passes 100
    assert [s.reason for s in result.skipped] == [
        "more than 100 bytes uncompressed: the rest is not read (raise the limit with --max-archive-size)"
    ]


def test_damaged_archive(tmp_path: Path) -> None:
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    [skip] = load_inputs([str(path)]).skipped
    assert skip.file == str(path) and skip.line is None
    assert skip.reason.startswith("not a readable tar archive: ")


def test_archives_inside_folders_are_not_opened(tmp_path: Path) -> None:
    with tarfile.open(tmp_path / "inner.tgz", "w:gz") as tar:
        add(tar, "in.yaml", (CM % "inner").encode())
    result = load_inputs([str(tmp_path)])
    assert result.files == [] and result.objects == [] and result.skipped == []


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes on POSIX only")
def test_a_file_name_that_is_not_utf8_is_shown_printable(tmp_path: Path) -> None:
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.yaml"), "w") as handle:
        handle.write(CM % "latin1-name")
    result = load_inputs([str(tmp_path)])
    [obj] = result.objects
    assert obj.location.file == f"{tmp_path}/caf?.yaml"
    obj.location.file.encode("utf-8")  # printable
