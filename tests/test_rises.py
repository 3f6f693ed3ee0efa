"""The rise counter on scripted stick-figure series: script in, expected count out."""

import pytest

from posecheck.detect.rises import RiseConfig, RiseCounter
from synthetic_pose import HEIGHT, WIDTH, play

REST = ("stand", 2.0)
RISE = ("rise", 0.7, 3.0, 0.7, 6.0)  # up, hold, down seconds; heels up 6 cm


def run(script, fps=30.0, **kwargs):
    counter = RiseCounter(RiseConfig())
    events = []
    t = 0.0
    for t, pose in play(script, fps=fps, **kwargs):
        events += counter.update(pose, t)
    events += counter.finish(t)
    return counter, events


@pytest.mark.parametrize(
    "name, script, kwargs, reps, partials",
    [
        ("three rises", [REST, RISE, ("stand", 1.5), RISE, ("stand", 1.5), RISE, REST], {}, 3, 0),
        ("jitter at the threshold", [REST, ("stand", 20.0)], {"jitter_px": 1.5}, 0, 0),
        ("tiny rises stay below the count", [REST, ("rise", 0.5, 1.5, 0.5, 1.0), REST], {}, 0, 0),
        ("half rise is partial", [REST, ("rise", 0.5, 1.5, 0.5, 2.0), REST], {}, 0, 1),
        ("half rise at the very end", [REST, RISE, ("stand", 1.5), ("rise", 0.5, 1.5, 0.5, 1.8)], {}, 1, 1),
        ("video ends mid-hold", [REST, RISE, ("stand", 1.5), ("rise", 0.7, 1.0, 0.0, 6.0)], {}, 1, 1),
        ("dropped frames", [REST, RISE, ("stand", 1.5), RISE, REST], {"drop_every": 4}, 2, 0),
        ("15 fps", [REST, RISE, ("stand", 1.5), RISE, REST], {"fps": 15.0}, 2, 0),
        ("60 fps", [REST, RISE, ("stand", 1.5), RISE, REST], {"fps": 60.0}, 2, 0),
        ("squats", [REST, ("squat", 1.0, 0.5, 1.0), ("stand", 1.0), ("squat", 1.0, 0.5, 1.0), REST], {}, 0, 0),
        ("mostly squats, then a rise", [("stand", 1.5)] + [("squat", 1.0, 0.3, 1.0), ("stand", 0.5)] * 5 + [RISE, REST], {}, 1, 0),
        ("weight shift", [REST, ("shift", 1.0, 25.0, 3.0), REST], {}, 0, 0),
        ("one heel", [REST, ("left_heel", 0.7, 2.0, 0.7, 6.0), REST], {}, 0, 0),
        ("single-leg stand", [REST, ("foot_up", 0.6, 3.0), REST], {}, 0, 0),
        ("person walks out and back", [REST, RISE, ("away", 3.0), REST, RISE, REST], {}, 2, 0),
        ("feet out of frame", [REST, ("feet_cut", 5.0)], {}, 0, 0),
    ],
)
def test_counts(name, script, kwargs, reps, partials):
    counter, _ = run(script, **kwargs)
    assert (counter.count, len(counter.partials)) == (reps, partials), name


def test_holds_and_times_follow_the_script():
    holds = [3.0, 1.0, 4.5]
    script = [REST]
    for hold in holds:
        script += [("rise", 0.7, hold, 0.7, 6.0), ("stand", 1.5)]
    counter, _ = run(script)
    assert [round(rep.hold_s, 1) for rep in counter.reps] == pytest.approx(holds, abs=0.3)
    assert [rep.hold_ok for rep in counter.reps] == [True, False, True]
    first = counter.reps[0]
    assert first.start_s == pytest.approx(2.0, abs=0.25)
    assert first.top_s == pytest.approx(2.7, abs=0.25)
    assert first.end_s == pytest.approx(6.4, abs=0.25)


def test_events_in_order():
    _, events = run([REST, RISE, ("stand", 20.0)])
    kinds = [e.kind for e in events]
    assert kinds == ["ready", "hold_reached", "rep", "round_done"]


def test_rounds_split_by_pauses():
    script = [REST, RISE, ("stand", 1.5), RISE, ("stand", 20.0), RISE, REST]
    counter, _ = run(script)
    assert [rep.round for rep in counter.reps] == [1, 1, 2]


def test_rounds_of_a_set_number_of_reps():
    counter = RiseCounter(RiseConfig(reps_per_round=2))
    events = []
    for t, pose in play([REST] + [RISE, ("stand", 1.5)] * 3):
        events += counter.update(pose, t)
    assert [rep.round for rep in counter.reps] == [1, 1, 2]
    assert [e.detail for e in events if e.kind == "round_done"] == ["1"]
    assert counter.round == 2


def test_nobody_never_calibrates():
    counter, events = run([("away", 5.0)])
    assert counter.count == 0 and counter.phase.value == "ready"
    assert events == []


def test_lift_in_cm_when_height_is_given():
    counter = RiseCounter(RiseConfig(height_cm=180))
    for t, pose in play([REST, RISE, REST]):
        counter.update(pose, t)
    (rep,) = counter.reps
    # 6 cm heels -> about 4 cm of body lift on this figure
    assert 3.0 < rep.peak_lift_cm < 5.0
    assert 0.4 < rep.left_share < 0.6
