"""Histograms and quantiles from what the passes return: pure functions, no Spark.

A histogram has equal-width bins on a column's axis (`columns.domain_values`: numbers, dates
as days, timestamps as microseconds). Its counts come from exact value counts (pass 2 counted
every value of the column) or from a KLL sketch's ranks at the bin edges (pass 1 sketched the
column); its quantiles from the value counts where pass 2 has them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

HISTOGRAM_BINS = 20


@dataclass(frozen=True)
class Bins:
    """Equal-width bins: bin i is [low + i*width, low + (i+1)*width); the last one is closed."""

    low: float
    width: float
    count: int

    @property
    def edges(self) -> list[float]:
        return [self.low + i * self.width for i in range(self.count + 1)]

    def index(self, x: float) -> int:
        """The bin of `x`, as Spark computes it in pass 2: floor((x - low) / width), capped."""
        return min(math.floor((x - self.low) / self.width), self.count - 1)


def histogram_bins(*, low: float, high: float, integral: bool) -> Bins:
    """HISTOGRAM_BINS bins over [low, high]; one per value for a small integral range."""
    if integral and high - low + 1 <= HISTOGRAM_BINS:
        return Bins(low, 1.0, int(high - low + 1))
    return Bins(low, (high - low) / HISTOGRAM_BINS, HISTOGRAM_BINS)


def histogram_from_counts(bins: Bins, points: Sequence[tuple[float, int]]) -> list[int]:
    """Bin counts from exact (axis position, count) pairs; positions off the axis are left out."""
    counts = [0] * bins.count
    high = bins.edges[-1]
    for x, n in points:
        if bins.low <= x <= high:
            counts[bins.index(x)] += n
    return counts


def quantiles_from_counts(
    points: Sequence[tuple[Any, float, int]], probabilities: Sequence[float]
) -> list[Any]:
    """Exact quantiles from (value, axis position, count) triples.

    The quantile p is the smallest value with at least p * n values at or below it: the value
    `percentile_approx` and a KLL sketch approximate.
    """
    ordered = sorted(points, key=lambda point: point[1])
    total = sum(n for _, _, n in ordered)
    if not total:
        return [None for _ in probabilities]
    results = []
    for p in probabilities:
        needed = p * total
        seen = 0
        chosen = ordered[-1][0]
        for value, _, n in ordered:
            seen += n
            if seen >= needed:
                chosen = value
                break
        results.append(chosen)
    return results


def rank_points(bins: Bins, *, integral: bool) -> list[float]:
    """Where to read a sketch's inclusive ranks (share of values <= x) to count each bin.

    Points 0..count-1 stand just below each bin's lower edge, so their ranks are the shares
    of values below that edge; the last point is the closed upper edge itself.
    """
    below = [
        float(math.ceil(edge) - 1) if integral else math.nextafter(edge, -math.inf)
        for edge in bins.edges[:-1]
    ]
    high = bins.edges[-1]
    return [*below, float(math.floor(high)) if integral else high]


def histogram_from_ranks(n: int, ranks: Sequence[float]) -> list[int]:
    """Bin counts from the ranks at `rank_points`: differences of rounded cumulative counts."""
    cumulative = [round(n * r) for r in ranks]
    return [max(0, b - a) for a, b in itertools.pairwise(cumulative)]
