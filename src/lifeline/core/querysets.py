"""Query helpers shared by the selectors."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

# Past this many ids a Python-side list stops paying for itself (and SQLite limits the number
# of parameters of one statement), so the caller falls back to SQL subqueries.
MAX_INLINE_IDS = 5000


def intersect_ids(id_querysets: Iterable[QuerySet[Any, int]]) -> set[int] | None:
    """Intersect the ids returned by single-column ``values_list(flat=True)`` querysets.

    Each blind-index lookup is a cheap index-only scan; intersecting the few ids in Python and
    handing the planner a literal list lets it fetch the matching rows by primary key instead
    of hashing a subquery against every case. Returns None when any set is too large to list.
    """
    result: set[int] | None = None
    for qs in id_querysets:
        ids = set(qs.distinct()[: MAX_INLINE_IDS + 1])
        if len(ids) > MAX_INLINE_IDS:
            return None
        result = ids if result is None else result & ids
        if not result:
            return set()
    return result if result is not None else set()
