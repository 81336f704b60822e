"""Counting the Spark jobs of a block of work, for real, without a listener."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


class JobCounter:
    """Counts the Spark jobs of a block through a job group and the status tracker."""

    def __init__(self, spark: SparkSession) -> None:
        try:
            self._context = spark.sparkContext  # noqa: DBX102 (guarded: None on Spark Connect)
        except Exception:  # Spark Connect has no SparkContext: jobs cannot be counted
            self._context = None

    @contextmanager
    def group(self, description: str) -> Iterator[Callable[[], int | None]]:
        if self._context is None:
            yield lambda: None
            return
        context = self._context
        group_id = f"toolkit-profile-{uuid.uuid4().hex[:12]}"
        previous = (
            context.getLocalProperty("spark.jobGroup.id"),
            context.getLocalProperty("spark.job.description"),
        )
        context.setJobGroup(group_id, f"toolkit profile: {description}", interruptOnCancel=False)
        try:
            yield lambda: len(context.statusTracker().getJobIdsForGroup(group_id))
        finally:
            context.setLocalProperty("spark.jobGroup.id", previous[0])
            context.setLocalProperty("spark.job.description", previous[1])
