"""Shared fixtures: a fixed clock, the built-in vocabulary, a CLI runner."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

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
