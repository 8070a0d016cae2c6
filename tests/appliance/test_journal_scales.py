"""Percent → mark thresholds, rounding rules and the school's marking rules."""

import pytest

from appliance.errors import Forbidden, ValidationError
from appliance.journal import scales
from appliance.journal.scales import DEFAULT_THRESHOLDS, percent_to_mark, round_mean

FIVE = DEFAULT_THRESHOLDS["5"]
TEN = DEFAULT_THRESHOLDS["10"]


@pytest.mark.parametrize(
    "percent, mark",
    [
        (100, 5),
        (85, 5),
        (84.99, 4),
        (70, 4),
        (69.999, 3),
        (50, 3),
        (49.9, 2),
        (0, 2),
    ],
)
def test_five_point_thresholds_at_their_boundaries(percent, mark):
    assert percent_to_mark(percent, FIVE) == mark


@pytest.mark.parametrize(
    "percent, mark", [(100, 10), (90, 10), (89.9, 9), (55, 6), (10, 2), (9.9, 1), (0, 1)]
)
def test_ten_point_thresholds(percent, mark):
    assert percent_to_mark(percent, TEN) == mark


def test_rounding_rules_differ_on_halves():
    assert round_mean([4, 5], "half_up") == 5
    assert round_mean([4, 5], "half_even") == 4
    assert round_mean([4, 5], "floor") == 4
    assert round_mean([3, 4], "half_even") == 4  # 3.5 → the even 4
    assert round_mean([5, 5, 4], "floor") == 4
    assert round_mean([5, 4, 4], "half_up") == 4
    assert round_mean([], "half_up") is None


def test_parse_mark_refuses_marks_off_the_scale():
    rules = scales.Rules()
    assert scales.parse_mark(" 4 ", rules) == 4
    assert scales.parse_mark("", rules) is None
    for bad in ("1", "6", "0", "4.5", "five"):
        with pytest.raises(ValidationError, match="not a mark on the scale"):
            scales.parse_mark(bad, rules)
    assert scales.parse_mark("1", scales.Rules(allow_one=True)) == 1
    assert scales.parse_mark("10", scales.Rules(scale="10")) == 10


def test_admin_changes_rules_and_thresholds(make_user):
    admin, teacher = make_user("admin"), make_user("teacher")
    assert scales.get_rules().scale == "5"
    with pytest.raises(Forbidden):
        scales.update_rules(teacher, "10", False, "floor", "85=5,0=2", "50=10,0=1")
    rules = scales.update_rules(
        admin, "10", True, "half_even", "90=5, 75=4, 50=3, 0=2", "50=10, 0=1"
    )
    assert (rules.scale, rules.allow_one, rules.rounding) == ("10", True, "half_even")
    assert scales.get_rules().current_thresholds == [(50.0, 10), (0.0, 1)]
    assert scales.get_rules().thresholds["5"][0] == (90.0, 5)


@pytest.mark.parametrize(
    "text, message",
    [
        ("85=5, 70=4", "last threshold"),
        ("85=5, 90=4, 0=2", "highest percent"),
        ("85=6, 0=2", "mark on the scale"),
        ("abc", "percent=mark"),
        ("120=5, 0=2", "0 to 100"),
    ],
)
def test_bad_thresholds_are_refused_with_a_clear_message(make_user, text, message):
    with pytest.raises(ValidationError, match=message):
        scales.update_rules(make_user("admin"), "5", False, "half_up", text, "0=1")
    assert scales.get_rules().current_thresholds == FIVE
