"""Session-wide test settings: the order modules are handed to the test workers in."""
from __future__ import annotations

from collections import defaultdict

# A rough cost per test, in seconds of a worker's time on a 2-core machine, by kind: a phone in
# Chromium against a real server, a test that starts server processes of its own (marked
# `slow`), and any other.
PHONE_TEST, SLOW_TEST, OTHER_TEST = 9.0, 15.0, 0.25


def pytest_collection_modifyitems(config, items):
    """The costliest modules first, each kept in its own order. pytest-xdist hands whole modules
    to the workers in this order (`--dist loadscope --no-loadscope-reorder` in pytest.ini; its own
    reordering goes by the number of tests, which puts a module of twenty phone tests after one of
    a hundred quick ones), so the long ones start early and the workers finish together instead
    of one running a long module alone at the end."""
    cost: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    for place, item in enumerate(items):
        module = _module(item)
        first.setdefault(module, place)
        cost[module] += (PHONE_TEST if module.startswith("e2e/")
                         else SLOW_TEST if item.get_closest_marker("slow") else OTHER_TEST)
    items.sort(key=lambda item: (-cost[_module(item)], first[_module(item)]))


def _module(item) -> str:
    return item.nodeid.split("::")[0]
