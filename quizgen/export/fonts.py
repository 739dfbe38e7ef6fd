"""Which CJK font the printed documents use, and where Typst finds it.

Typst ships Latin and math fonts but no CJK font. The ``pylopdf_fonts_zh_cn`` package (Noto
Sans SC / Noto Serif SC, regular weight only) makes Chinese print on a machine set up with pip
alone; a system CJK font is preferred when one with a real bold weight is installed. Typst does
not synthesise bold, so with a regular-only font the templates thicken CJK glyphs in bold text
with a thin outline stroke (``Fonts.fake_bold``).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pylopdf_fonts_zh_cn

BUNDLED_SERIF = "Noto Serif SC"
BUNDLED_SANS = "Noto Sans SC"
# Preferred system families, best first; any other family that covers Chinese comes after.
_PREFERRED = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Serif SC",
    "Noto Sans SC",
)
_BOLD_STYLES = ("bold", "black", "heavy", "semibold", "demibold")


@dataclass(frozen=True)
class Fonts:
    """The CJK family to name in documents, the folders that hold it, and whether bold is faked."""

    cjk: str
    paths: tuple[str, ...]
    fake_bold: bool


@dataclass(frozen=True)
class SystemFont:
    """One CJK family found by fontconfig."""

    family: str
    folders: tuple[str, ...]
    has_bold: bool


def bundled(family: str = BUNDLED_SERIF) -> Fonts:
    """The pip-installed Noto SC fonts (regular only, hence fake bold)."""
    folder = str(Path(pylopdf_fonts_zh_cn.serif_path()).parent)
    return Fonts(cjk=family, paths=(folder,), fake_bold=True)


def parse_fc_list(output: str) -> tuple[SystemFont, ...]:
    """Families from ``fc-list :lang=zh --format '%{family}\\t%{style}\\t%{file}\\n'`` output."""
    folders: dict[str, set[str]] = {}
    bold: dict[str, bool] = {}
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        families, styles, file = parts
        folder = str(Path(file).parent)
        is_bold = any(b in styles.lower() for b in _BOLD_STYLES)
        for family in families.split(","):
            family = family.strip()
            if family:
                folders.setdefault(family, set()).add(folder)
                bold[family] = bold.get(family, False) or is_bold
    return tuple(
        SystemFont(f, tuple(sorted(folders[f])), bold[f]) for f in sorted(folders)
    )


@lru_cache(maxsize=1)
def system_fonts() -> tuple[SystemFont, ...]:
    """CJK families installed on this machine; empty when fontconfig is missing."""
    exe = shutil.which("fc-list")
    if exe is None:
        return ()
    try:
        result = subprocess.run(
            [exe, ":lang=zh", "--format", "%{family}\t%{style}\t%{file}\n"],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return parse_fc_list(result.stdout)


def _rank(font: SystemFont) -> tuple[int, int, str]:
    preferred = _PREFERRED.index(font.family) if font.family in _PREFERRED else len(_PREFERRED)
    return (0 if font.has_bold else 1, preferred, font.family)


def pick(font: str | None, installed: tuple[SystemFont, ...]) -> Fonts:
    """The fonts for a requested family (or the best available when ``font`` is None).

    Raises ValueError when ``font`` names neither a bundled nor an installed CJK family.
    """
    if font in (BUNDLED_SERIF, BUNDLED_SANS):
        return bundled(font)
    by_name = {f.family.casefold(): f for f in installed}
    if font is not None:
        found = by_name.get(font.casefold())
        if found is None:
            known = ", ".join([BUNDLED_SERIF, BUNDLED_SANS, *(f.family for f in installed)])
            raise ValueError(f"unknown font {font!r}; available: {known}")
        return Fonts(found.family, found.folders, fake_bold=not found.has_bold)
    with_bold = sorted((f for f in installed if f.has_bold), key=_rank)
    if with_bold:
        best = with_bold[0]
        return Fonts(best.family, best.folders, fake_bold=False)
    return bundled()


def choose(font: str | None = None) -> Fonts:
    """:func:`pick` among this machine's fonts. Raises ValueError for an unknown ``font``."""
    return pick(font, system_fonts())
