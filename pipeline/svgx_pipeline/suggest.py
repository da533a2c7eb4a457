""" "Did you mean": the nearest known name to a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The candidate closest to ``word``, or None when none is near enough.

    Dotted names compare segment-wise too, so ``electrical.panel`` finds
    ``electrical.electrical_panel`` (the last segment is a word of the candidate's).
    """
    pool = sorted(set(candidates))
    if not pool or not word:
        return None
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    head, _, last = word.rpartition(".")
    if last:
        containing = [
            c
            for c in pool
            if c.rpartition(".")[0] == head
            and c != word
            and last in c.rpartition(".")[2].split("_")
        ]
        if len(containing) == 1:
            return containing[0]
    if len(word) >= 3:
        starting = [c for c in pool if c.startswith(word) and c != word]
        if len(starting) == 1:
            return starting[0]
    near = difflib.get_close_matches(word, [c for c in pool if c != word], n=1, cutoff=cutoff)
    return near[0] if near else None


def hint(suggestion: str | None) -> str:
    return f" (did you mean `{suggestion}`?)" if suggestion else ""
