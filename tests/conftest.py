"""Hypothesis profiles: 'ci' (the default) is derandomised and bounded so .ci/run stays fast and
repeatable; run 'HYPOTHESIS_PROFILE=long python3 -m pytest tests/test_properties.py' by hand to search harder."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
