"""Property: whatever edits and interruptions come, one good sync makes the hub equal the node."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.replication import local_origin
from sync.transport import SyncError, Transport
from tests.sync.data import build_school, random_edit
from tests.sync.harness import assert_hub_equals_node

# An interruption: the request is lost before the hub sees it, or the answer is lost after
# the hub applied it; ``n`` is which request of the sync it hits.
faults = st.tuples(st.sampled_from(["before", "after"]), st.integers(min_value=1, max_value=6))
steps = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(1, 8)),
        st.tuples(st.just("sync"), st.lists(faults, max_size=2)),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=steps, seed=st.integers(0, 2**16))
def test_random_edits_and_interruptions_converge(hub, enrolled, monkeypatch, plan, seed):
    rng = random.Random(seed)
    school = getattr(enrolled, "school", None) or build_school(students=3, tag=str(seed))
    enrolled.school = school
    real_post = Transport._post
    for kind, arg in plan:
        if kind == "edit":
            for i in range(arg):
                random_edit(rng, school, rng.randrange(10**9) + i)
            continue
        calls = {"n": 0}
        lose = dict((n, where) for where, n in arg)

        def flaky(self, name, body, signed, point, _lose=lose, _calls=calls):
            _calls["n"] += 1
            where = _lose.get(_calls["n"])
            if where == "before":
                raise SyncError("network", "lost on the way to the hub")
            answer = real_post(self, name, body, signed, point)
            if where == "after":
                raise SyncError("network", "the answer was lost")
            return answer

        monkeypatch.setattr(Transport, "_post", flaky)
        try:
            enrolled(batch_size=rng.choice([2, 5, 50]))
        except SyncError:
            pass
        monkeypatch.setattr(Transport, "_post", real_post)
    enrolled(batch_size=7)
    assert_hub_equals_node(hub, local_origin())
