"""YAML front matter (title, tags, category, date), read with ``yaml.safe_load``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml

from quizgen import safe_yaml
from quizgen.model import Problem


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    tags: tuple[str, ...] = ()
    category: str = ""
    date: str = ""


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items = value.replace("，", ",").split(",")
    elif isinstance(value, list | tuple):
        items = [str(v) for v in value if v is not None]
    else:
        items = [str(value)]
    return tuple(s.strip() for s in items if s.strip())


def read_front_matter(content: str, path: str) -> tuple[FrontMatter, Problem | None]:
    """Parse the YAML between the ``---`` fences (which start on line 1 of the file)."""
    try:
        data = safe_yaml.load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        return FrontMatter(), Problem(path, line, f"front matter is not valid YAML: {reason}")
    except safe_yaml.YamlRefused as exc:
        return FrontMatter(), Problem(path, 2, f"front matter refused: {exc}")
    if data is None:
        return FrontMatter(), None
    if not isinstance(data, dict):
        return FrontMatter(), Problem(path, 2, "front matter must be a YAML mapping (key: value)")
    date = data.get("date", "")
    if isinstance(date, dt.date | dt.datetime):
        date = date.isoformat()
    category = _strings(data.get("category") or data.get("categories"))
    return (
        FrontMatter(
            title=str(data.get("title") or "").strip(),
            tags=_strings(data.get("tags")),
            category=category[0] if category else "",
            date=str(date or ""),
        ),
        None,
    )
