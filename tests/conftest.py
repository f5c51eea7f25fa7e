"""Shared fixtures: a fixed clock, the built-in vocabulary, a CLI runner."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from click.testing import CliRunner
from hypothesis import settings

from tests.samples import NOW
from ticker.parsing import Context, make_context


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture
def ctx() -> Context:
    return make_context(now=NOW)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# `HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py` for a long local run.
settings.register_profile("thorough", max_examples=3000, deadline=None)
settings.register_profile("default", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
