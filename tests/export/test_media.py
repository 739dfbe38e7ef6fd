"""Images: content-hash names, refused paths, missing files."""

from __future__ import annotations

from pathlib import Path

from quizgen.export.media import Media
from quizgen.model import SourceRef
from tests.export.conftest import Vault, tiny_png


def test_same_bytes_one_file_other_bytes_other_name(vault: Vault) -> None:
    (vault.root / "ml" / "img" / "copy.png").write_bytes(tiny_png())
    (vault.root / "ml" / "img" / "blue.PNG").write_bytes(tiny_png((0, 0, 255)))
    m = Media(vault.root)
    src = vault.src(4)
    a = m.image("img/softmax.png", "a", src)
    b = m.image("img/copy.png", "b", src)
    c = m.image("img/blue.PNG", "c", src)
    names = sorted(m.files)
    assert len(names) == 2 and all(n.startswith("qg-") and n.endswith(".png") for n in names)
    assert a.split('"')[1] == b.split('"')[1] != c.split('"')[1]
    assert m.problems == []


def test_paths_outside_the_notes_are_refused(vault: Vault, tmp_path: Path) -> None:
    m = Media(vault.root)
    src = vault.src(9)
    for bad in ("../../secret.png", "../../../../../etc/passwd", "/etc/passwd",
                str(tmp_path / "secret.png"), "http://x/y.png", "data:image/png;base64,AA"):
        assert m.image(bad, "替代<文字>", src) == "替代&lt;文字&gt;"
    assert m.files == {} and len(m.problems) == 6
    assert all((p.path, p.line) == (str(vault.note), 9) for p in m.problems)


def test_missing_and_non_images(vault: Vault) -> None:
    (vault.root / "ml" / "notes.txt").write_text("x")
    m = Media(vault.root)
    assert m.image("img/none.png", "alt", vault.src(1)) == "alt"
    assert m.image("notes.txt", "t", vault.src(2)) == "t"
    assert ["not found" in m.problems[0].message, "not an image" in m.problems[1].message] == [
        True, True]


def test_relative_source_paths_resolve_against_the_notes_root(vault: Vault) -> None:
    m = Media(vault.root)
    out = m.image("img/%E5%9B%BE.png", "图", SourceRef("ml/softmax.md", 1))
    assert out == "图" and "not found" in m.problems[0].message
    (vault.root / "ml" / "img" / "图.png").write_bytes(tiny_png())
    assert m.image("img/%E5%9B%BE.png", "图", SourceRef("ml/softmax.md", 1)).startswith("<img")
