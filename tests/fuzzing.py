"""The fuzz tests' shared settings: derandomized, so CI sees the same examples every time.
For a longer, random hunt: FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_fuzz.py"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def fuzz(examples: int, seconds: float):
    """Settings for one fuzz test: a bounded number of examples, each bounded in time."""
    return settings(
        max_examples=EXAMPLES or examples,
        deadline=dt.timedelta(seconds=seconds),  # a hang bound, far above the usual milliseconds
        derandomize=not os.environ.get("FUZZ_RANDOM"),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
