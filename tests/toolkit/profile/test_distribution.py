"""Histograms and quantiles from value counts and from sketch ranks (pure functions)."""

from __future__ import annotations

import math

from toolkit.profile.distribution import (
    Bins,
    histogram_bins,
    histogram_from_counts,
    histogram_from_ranks,
    quantiles_from_counts,
    rank_points,
)


def test_small_integral_ranges_get_one_bin_per_value() -> None:
    assert histogram_bins(low=0, high=6, integral=True) == Bins(0, 1.0, 7)
    assert histogram_bins(low=0, high=100, integral=True) == Bins(0, 5.0, 20)
    assert histogram_bins(low=0.0, high=1.0, integral=False).count == 20


def test_histogram_from_counts_bins_like_spark_and_drops_off_axis_values() -> None:
    bins = Bins(0.0, 2.5, 4)  # [0, 2.5) [2.5, 5) [5, 7.5) [7.5, 10]
    points = [(0.0, 3), (2.5, 1), (4.9, 2), (10.0, 5), (math.inf, 7), (math.nan, 1)]
    assert histogram_from_counts(bins, points) == [3, 3, 0, 5]


def test_quantiles_from_counts_are_the_smallest_value_reaching_the_share() -> None:
    # 10 values: 1 x4, 2 x4, 9 x2 (value, axis position, count)
    points = [("b", 2.0, 4), ("a", 1.0, 4), ("z", 9.0, 2)]
    assert quantiles_from_counts(points, [0.01, 0.4, 0.41, 0.8, 0.81, 1.0]) == [
        "a",
        "a",
        "b",
        "b",
        "z",
        "z",
    ]
    assert quantiles_from_counts([], [0.5]) == [None]


def test_rank_points_stand_just_below_each_lower_edge() -> None:
    assert rank_points(Bins(0.0, 1.0, 3), integral=True) == [-1.0, 0.0, 1.0, 3.0]
    points = rank_points(Bins(0.0, 0.5, 2), integral=False)
    assert points[0] < 0.0 and points[1] < 0.5 and points[1] > 0.4999999
    assert points[-1] == 1.0


def test_histogram_from_ranks_sums_to_the_values_on_the_axis() -> None:
    # 10 values, one below the axis (an infinity), the rest spread over 3 bins.
    ranks = [0.1, 0.4, 0.7, 1.0]
    assert histogram_from_ranks(10, ranks) == [3, 3, 3]
    assert sum(histogram_from_ranks(2_000_000, [0.0, 0.2500004, 0.7, 1.0])) == 2_000_000
