"""Offline devices with flaky networks converge, and no acknowledged write is lost.

Hypothesis drives 3–8 devices making random edits of shared records while pushes lose
their answers, retries are duplicated or split differently, and devices interleave.
After a final drain and pull every device equals the server; every acknowledged value
is current, in history, or in its author's conflict inbox; every rejected payload can
be read back by its author.
"""
from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sync.memory import MemoryStore

from .conftest import NOW_MS, PROJECT, OpenPolicy
from .device import EngineDevice

RECORDS = [f"00000000-0000-4000-8000-0000000000{n:02d}" for n in range(1, 4)]
# Only this record may be deleted, so the others live long enough to merge.
DELETABLE = "00000000-0000-4000-8000-000000000099"
TAGS = ["a", "b", "c"]
KEYS = ["E1", "E2"]
STATES = ["open", "doing", "done", "closed"]


class FlakyDevices(RuleBasedStateMachine):
    """Devices, each with its own clock, outbox and pulled view, sharing one server."""

    @initialize(count=st.integers(min_value=3, max_value=8))
    def start(self, count):
        self.store = MemoryStore()
        members = {f"user-{i % 4}": {PROJECT: {"member", "boss"} if i == 0 else {"member"}}
                   for i in range(count)}
        policy = OpenPolicy(members)
        self.devices = [EngineDevice(self.store, policy, f"user-{i % 4}",
                                     f"00000000-0000-4000-8000-{i:012d}",
                                     clock_ms=NOW_MS + i * 3) for i in range(count)]
        self.sent: dict[tuple[str, int], dict] = {}  # (client, mid) -> mutation
        self.answers: dict[tuple[str, int], dict] = {}  # results the devices received
        self.serial = 0

    def _device(self, index):
        return self.devices[index % len(self.devices)]

    def _value(self, device):
        self.serial += 1
        return f"{device.client_id[-2:]}-{self.serial}"

    @rule(index=st.integers(0, 7), record=st.sampled_from(RECORDS + [DELETABLE]),
          edit=st.sampled_from(["title", "size", "add", "remove", "map", "unset", "state"]),
          tag=st.sampled_from(TAGS), key=st.sampled_from(KEYS), state=st.sampled_from(STATES))
    def edit(self, index, record, edit, tag, key, state):
        device = self._device(index)
        fields = {"project_id": PROJECT}
        if edit == "title":
            fields["title"] = self._value(device)
        elif edit == "size":
            fields["size"] = self.serial % 120  # some out of range: rejected, payload kept
            self.serial += 1
        elif edit in ("add", "remove"):
            fields["tags"] = {edit: [tag]}
        elif edit == "map":
            fields["results"] = {key: self._value(device)}
        elif edit == "unset":
            fields["results"] = {key: None}
        else:
            fields["status"] = state
        mutation = device.put("note", record, fields)
        self.sent[(device.client_id, mutation["mid"])] = mutation

    @precondition(lambda self: ("note", DELETABLE) in self.store.records)
    @rule(index=st.integers(0, 7))
    def delete(self, index):
        device = self._device(index)
        mutation = device.delete("note", DELETABLE)
        self.sent[(device.client_id, mutation["mid"])] = mutation

    @rule(index=st.integers(0, 7), ms=st.integers(-5, 7_200_000))
    def clock(self, index, ms):
        self._device(index).clock_ms += ms

    @rule(index=st.integers(0, 7))
    def stall(self, index):
        """The device's next write repeats its last hlc (its counter did not move)."""
        device = self._device(index)
        device.counter = max(device.counter - 1, 0)

    @precondition(lambda self: any(d.outbox for d in self.devices))
    @rule(index=st.integers(0, 7), start=st.integers(0, 5), size=st.integers(1, 6),
          lose_answer=st.booleans(), twice=st.booleans())
    def push(self, index, start, size, lose_answer, twice):
        """Push a slice of the outbox: it may skip ahead (gap), lose its answer, or repeat."""
        device = self._device(index)
        if not device.outbox:
            return
        batch = device.outbox[min(start, 1) if len(device.outbox) > 1 else 0:][:size]
        keep = list(device.outbox)
        answer = device.push(batch)
        for result in answer["results"]:
            if result["status"] != "gap":
                self.answers[(device.client_id, result["mid"])] = result
        if twice:
            again = device.push(batch)
            for first, second in zip(answer["results"], again["results"]):
                if first["status"] != "gap":
                    assert second == dict(first, replayed=True)
        if lose_answer:
            device.outbox = keep

    @rule(index=st.integers(0, 7), limit=st.integers(1, 5))
    def pull(self, index, limit):
        self._device(index).pull([PROJECT], limit=limit)

    @invariant()
    def seqs_are_unique(self):
        seqs = [r.seq for r in self.store.records.values()]
        assert len(seqs) == len(set(seqs))

    def teardown(self):
        if not hasattr(self, "store"):
            return
        for device in self.devices:
            while device.outbox:
                for result in device.push()["results"]:
                    self.answers[(device.client_id, result["mid"])] = result
        for device in self.devices:
            device.pull([PROJECT], limit=3)
        self.check_convergence()
        self.check_nothing_lost()

    def check_convergence(self):
        server = {key: r.values for key, r in self.store.records.items() if not r.deleted}
        for device in self.devices:
            assert {key: r.values for key, r in device.records.items()} == server

    def check_nothing_lost(self):
        history = {(h.record_id, h.field, repr(h.new), h.user_id) for h in self.store.history}
        inbox = {(c.record_id, c.field, repr(c.yours), c.user_id) for c in self.store.conflicts}
        rejected = {(r.client_id, r.mid): r for r in self.store.rejected}
        for (client_id, mid), result in self.answers.items():
            mutation = self.sent[(client_id, mid)]
            user = next(d.user_id for d in self.devices if d.client_id == client_id)
            if result["status"] == "rejected":
                assert rejected[(client_id, mid)].payload == mutation
                continue
            record = self.store.records[("note", mutation["id"])]
            assert result["status"] in ("applied", "merged")
            lost = {c["field"] for c in result.get("conflicts", [])}
            for name, value in (mutation.get("fields") or {}).items():
                if name not in ("title", "size"):
                    continue
                current = record.values.get(name)
                seen = (mutation["id"], name, repr(value), user)
                assert current == value or seen in history, (name, value)
                if name in lost:
                    assert seen in inbox


FlakyDevices.TestCase.settings = settings(
    max_examples=150, stateful_step_count=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestFlakyDevices = FlakyDevices.TestCase
