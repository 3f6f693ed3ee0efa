"""Stance variants: one pose in, the variant out; the tracker's majority; reps tagged by offline replay."""

import math

import numpy as np
import pytest

from pose_builder import Body, pose_of
from posecheck.pose import landmarks as lm
from posecheck.session.rises import count_rises
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.report.rises import RiseReport
from posecheck.detect.rises import RiseConfig
from posecheck.detect.stance import StanceTracker, classify, majority, stance_of
from posecheck.report.texts import stance_label as label
from synthetic_pose import HEIGHT, WIDTH, play


@pytest.mark.parametrize("azimuth", [0.0, 20.0, 35.0])
@pytest.mark.parametrize(
    "width_m, toe_deg, variant",
    [
        (0.20, 5, "parallel"),  # feet under the hips
        (0.24, 12, "parallel"),  # a natural, slightly open stance is still parallel
        (0.42, 8, "wide"),
        (0.50, 5, "wide"),
        (0.22, 38, "turned_out"),
        (0.24, 30, "turned_out"),
        (0.40, 35, "turned_out"),  # wide and turned out: the toes decide
    ],
)
def test_variant_of_one_pose(azimuth, width_m, toe_deg, variant):
    reading = stance_of(pose_of(Body(stance_width_m=width_m, toe_out_deg=toe_deg), azimuth_deg=azimuth))
    assert reading.variant == variant
    # the mean toe-out holds from any of these views
    assert reading.toe_out_deg == pytest.approx(toe_deg, abs=5)


def test_width_ratio_grows_with_the_stance_and_ignores_the_camera_angle():
    ratios = {az: [stance_of(pose_of(Body(stance_width_m=w), azimuth_deg=az)).width_ratio for w in (0.2, 0.3, 0.4, 0.5)] for az in (0, 35)}
    assert np.all(np.diff(ratios[0]) > 0)
    assert ratios[35] == pytest.approx(ratios[0], rel=0.03)


def test_per_foot_toe_out_from_the_front_only():
    front = stance_of(pose_of(Body(toe_out_deg=30), azimuth_deg=0))
    assert front.per_foot_reliable
    assert front.toe_out_left_deg == pytest.approx(front.toe_out_right_deg, abs=1)
    oblique = stance_of(pose_of(Body(toe_out_deg=30), azimuth_deg=35))
    assert not oblique.per_foot_reliable
    assert abs(oblique.toe_out_left_deg - oblique.toe_out_right_deg) > 20  # the view leaks into each foot ...
    assert oblique.toe_out_deg == pytest.approx(front.toe_out_deg, abs=3)  # ... but not into their mean


def test_unreadable_poses_have_no_variant():
    assert stance_of(None).variant is None
    side = stance_of(pose_of(Body(stance_width_m=0.4), azimuth_deg=90))
    assert side.variant is None and math.isnan(side.width_ratio) and side.view_deg > 80
    hidden = pose_of(Body())
    hidden.visibility[[lm.LEFT_TOE, lm.RIGHT_TOE, lm.LEFT_HEEL, lm.RIGHT_HEEL]] = 0.1
    assert stance_of(hidden).variant is None


@pytest.mark.parametrize(
    "width, toe, variant",
    [(1.0, 5.0, "parallel"), (1.39, 22.0, "parallel"), (1.45, 5.0, "wide"), (1.0, 23.5, "turned_out"), (2.0, 40.0, "turned_out"), (math.nan, 5.0, None)],
)
def test_classify_thresholds(width, toe, variant):
    assert classify(width, toe) == variant


def test_majority_and_labels():
    assert majority(["wide", "parallel", "wide", None, None, None]) == "wide"
    assert majority([None, None]) is None
    assert majority(["parallel", "wide"]) == "parallel"  # a tie goes to the first variant
    assert label("turned_out", "de") == "Fußspitzen außen"
    assert label(None) == "-"


def test_tracker_majority_over_a_stretch():
    tracker = StanceTracker(keep_s=30.0)
    fps = 30
    for i in range(10 * fps):
        t = i / fps
        body = Body(stance_width_m=0.2) if t < 4 else Body(stance_width_m=0.45) if t < 7 else Body(toe_out_deg=38)
        tracker.add(t, pose_of(body, t))
    assert tracker.variant_between(0.0, 3.9) == "parallel"
    assert tracker.variant_between(4.0, 6.9) == "wide"
    assert tracker.variant_between(3.0, 6.5) == "wide"  # 2.5 s wide against 1 s parallel
    assert tracker.variant_between(7.5, 9.9) == "turned_out"
    assert tracker.current(9.9) == "turned_out"
    assert tracker.variant_between(20.0, 30.0) is None  # no frames there
    summary = tracker.summary_between(4.0, 6.9)
    assert summary["variant"] == "wide" and summary["width_ratio"] > 1.5 and summary["toe_out_left_deg"] is not None


def test_tracker_needs_enough_readable_frames_and_forgets_old_ones():
    tracker = StanceTracker(keep_s=5.0)
    for i in range(30):
        tracker.add(i / 30, pose_of(Body(stance_width_m=0.45)) if i < 5 else None)
    assert tracker.variant_between(0.0, 1.0) is None  # 5 of 30 frames readable
    assert tracker.variant_between(0.0, 0.15) == "wide"
    for i in range(30, 400):
        tracker.add(i / 30, pose_of(Body()))
    assert tracker.variant_between(0.0, 1.0) is None  # forgotten after keep_s
    assert len(tracker.readings_between(0.0, 100.0)) <= 5 * 30 + 1


def _widened(series: LandmarkSeries, extra_px: float) -> LandmarkSeries:
    """The same clip with the feet placed further apart (each foot moved outward by extra_px)."""
    image = series.image.copy()
    for ids, sign in (((lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_TOE), 1), ((lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_TOE), -1)):
        image[:, list(ids), 0] += sign * extra_px / series.width
    return LandmarkSeries(series.t, image, series.visibility, series.world, series.people, series.fps, series.width, series.height)


def _stick_series(script) -> LandmarkSeries:
    times, poses = zip(*play(script))
    return LandmarkSeries.from_frames(times, poses, 30.0, WIDTH, HEIGHT, "stick")


REST = ("stand", 2.0)
RISE = ("rise", 0.7, 3.0, 0.7, 6.0)


@pytest.mark.parametrize("extra_px, variant", [(0.0, "parallel"), (30.0, "wide")])
def test_replay_tags_each_rep_with_its_stance(extra_px, variant):
    series = _widened(_stick_series([REST, RISE, ("stand", 1.5), RISE, REST]), extra_px)
    counter, _ = count_rises(series, RiseConfig())
    assert counter.count == 2
    assert [rep.stance for rep in counter.reps] == [variant, variant]
    report = RiseReport("clip", 14.0, 3.0, counter)
    data = report.to_json()
    assert [rep["stance"] for rep in data["reps"]] == [variant, variant]
    assert data["rounds_stance"] == [variant]
    assert variant.replace("_", " ") in report.summary()
