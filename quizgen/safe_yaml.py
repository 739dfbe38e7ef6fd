"""YAML from files we did not write (note front matter, deck specs), loaded safely and bounded.

The safe loader already refuses object tags. What it does not refuse is expansion: aliases let a
few hundred bytes stand for a value of billions of items (``a: &a [x, x, …]``, ``b: &b [*a, *a,
…]``), which the loader builds cheaply as shared references but which hangs anything that then
walks or prints it. So the loaded value is measured, counting every alias as the copy it stands
for, and refused when it is much bigger than the text it came from.
"""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's safe loader is ~10x faster than the pure-Python one; same safety (no object tags).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Without aliases a value is never bigger than its text; this allows modest reuse of anchors.
_GROWTH = 4
_SLACK = 10_000


class YamlRefused(ValueError):
    """YAML that loads but must not be used (it expands far beyond its text)."""


def load(text: str) -> Any:
    """The value of one YAML document.

    Raises:
        yaml.YAMLError: the text is not valid YAML (or uses a tag the safe loader refuses).
        YamlRefused: the value expands (through aliases) far beyond the size of the text, or
            nests too deeply, or holds a value the loader cannot build (``2026-13-45``).
    """
    try:
        data = yaml.load(text, Loader=_LOADER)
    except RecursionError as exc:
        raise YamlRefused("nested too deeply") from exc
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date that does not exist
        raise YamlRefused(f"cannot read a value: {exc}") from exc
    limit = _GROWTH * len(text) + _SLACK
    if expanded_size(data, limit) > limit:
        raise YamlRefused(
            f"its aliases (&anchor / *alias) expand to more than {limit:,} items and "
            "characters"
        )
    return data


def expanded_size(value: Any, limit: int) -> int:
    """Items plus characters of ``value`` with every shared (aliased) part counted each time
    it is used; counting stops as soon as the total passes ``limit``, so this is quick even for
    a cyclic or exponentially aliased value."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        v = stack.pop()
        total += 1
        if isinstance(v, str | bytes):
            total += len(v)
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list | tuple | set | frozenset):
            stack.extend(v)
    return total
