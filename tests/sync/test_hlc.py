"""Hybrid logical clocks: format, ordering by plain comparison, and the server clamp."""
import pytest

from sync import ClockFormatError, clamp_hlc, parse_hlc

CLIENT = "3f0c8a7e-1b2d-4c5e-8f90-123456789abc"


def test_parse_round_trips():
    text = f"001790000000000:00042:{CLIENT}"
    value = parse_hlc(text)
    assert (value.physical, value.counter, value.client_id) == (1790000000000, 42, CLIENT)
    assert str(value) == text


@pytest.mark.parametrize("bad", [None, 17, "", "1790000000000:00001:x",
                                 f"01790000000000:0001:{CLIENT}", "001790000000000:00001:",
                                 f"001790000000000:00001:{CLIENT} ", f"abc:00001:{CLIENT}"])
def test_malformed_hlcs_are_refused(bad):
    with pytest.raises(ClockFormatError):
        parse_hlc(bad)


def test_string_order_is_clock_order():
    earlier = f"001790000000000:00009:{CLIENT}"
    later_counter = f"001790000000000:00010:{CLIENT}"
    later_time = f"001790000000001:00000:{CLIENT}"
    assert earlier < later_counter < later_time


def test_clamp_caps_a_clock_in_the_future_at_now_plus_a_minute():
    now = 1_790_000_000_000
    ahead = f"{now + 2 * 3600 * 1000:015d}:00003:{CLIENT}"
    clamped, changed = clamp_hlc(ahead, now)
    assert changed
    assert clamped == f"{now + 60_000:015d}:00003:{CLIENT}"


def test_clamp_leaves_an_honest_clock_alone():
    now = 1_790_000_000_000
    honest = f"{now + 59_000:015d}:00000:{CLIENT}"
    assert clamp_hlc(honest, now) == (honest, False)
