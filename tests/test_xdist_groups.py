"""`make test` runs on pytest-xdist with `--dist loadgroup` (Makefile).  Tests that share an expensive
session fixture (conftest.SHARED_FIXTURES: the portable hostile batch, the wheel resolutions, ...) carry an
``xdist_group`` mark, so that one worker builds the fixture once.  When the grouping does not take effect,
nothing fails: each worker builds the fixture again (three minutes for the portable batch).  pytest 9.2
did that (pytest-dev/pytest-xdist#1386); this test says so."""
from __future__ import annotations

import pytest

from conftest import SHARED_FIXTURES


@pytest.fixture(scope="session")
def group_probe():
    """A cheap fixture listed in SHARED_FIXTURES, so that this test is grouped like the expensive ones."""
    return "probe"


def test_tests_that_share_an_expensive_fixture_go_to_one_worker(request, group_probe):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by pytest-xdist with --dist loadgroup (`make test` does)")
    sharing = [i for i in request.session.items if set(getattr(i, "fixturenames", ())) & SHARED_FIXTURES]
    assert request.node in sharing
    for item in sharing:
        mark = item.get_closest_marker("xdist_group")
        assert mark is not None, item.nodeid
        # xdist sends tests by node id; the group's name appended to it is what keeps a group on one worker
        assert item.nodeid.endswith("@" + mark.kwargs["name"]), item.nodeid
