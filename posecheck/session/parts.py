"""Sessions that are parts of a guided sequence (the routine, the camera check): an instruction shown for a while,
a standing capture for the barefoot check, one round of rises in a stance, one single-leg stand on an asked leg."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from posecheck.detect.balance import BalanceConfig
from posecheck.detect.rises import RiseConfig
from posecheck.media.pictures import jpeg
from posecheck.pose.landmarks import PoseFrame
from posecheck.render.hud import HudState
from posecheck.report.texts import tr
from posecheck.session.balance import BalanceSession
from posecheck.session.base import Notice, Session
from posecheck.session.rises import RisesSession


class InstructionSession(Session):
    """Shows one instruction for `seconds` of media time; the model keeps running, so tracking stays warm."""

    def __init__(self, message: str, seconds: float, title: str, lang: str):
        super().__init__()
        self.message = message
        self.seconds = seconds
        self.title = title
        self.lang = lang

    @property
    def done(self) -> bool:
        return self.skipped or (self.first_t is not None and self.elapsed >= self.seconds)

    def hud(self, t: float) -> HudState:
        left = self.seconds if self.first_t is None else max(self.seconds - (t - self.first_t), 0.0)
        return HudState(count=math.ceil(left), round_label=self.title, phase_label=tr(self.lang, "routine.phase.instruction"),
                        hold_s=0.0, hold_target_s=self.seconds, message=self.message, reps_label="s", phase="ready")


class CheckSession(Session):
    """Records the poses and pictures of `seconds` of standing still, for the barefoot check."""

    def __init__(self, seconds: float, title: str, lang: str):
        super().__init__()
        self.seconds = seconds
        self.title = title
        self.lang = lang
        self.times: list[float] = []
        self.poses: list[PoseFrame | None] = []
        self.pictures: list[bytes] = []  # JPEG, one per entry of times: the feet's roll is read from them

    def step(self, t: float, pose: PoseFrame | None, image: np.ndarray | None) -> list[Notice]:
        self.times.append(t)
        self.poses.append(pose)
        if image is not None:
            self.pictures.append(jpeg(image))
        return []

    @property
    def done(self) -> bool:
        return self.skipped or (self.first_t is not None and self.elapsed >= self.seconds)

    def hud(self, t: float) -> HudState:
        held = 0.0 if self.first_t is None else min(t - self.first_t, self.seconds)
        return HudState(count=0, round_label=self.title, phase_label=tr(self.lang, "routine.phase.check"), hold_s=held,
                        hold_target_s=self.seconds, reps_label="", phase="hold")


class RisesPart(RisesSession):
    """One round of rises in one stance variant, done when its reps are counted; the HUD names the variant."""

    def __init__(self, config: RiseConfig, lang: str, variant: str, title: str, reps: int):
        super().__init__(config, lang, rounds=1, reps=reps)
        self.variant = variant
        self.title = title

    @property
    def done(self) -> bool:
        return self.skipped or self.all_done

    def hud(self, t: float) -> HudState:
        return dataclasses.replace(super().hud(t), round_label=f"{self.title} · {tr(self.text.lang, 'routine.variant.' + self.variant)}")


class BalancePart(BalanceSession):
    """A single-leg stand on the asked leg, done after one stand on it."""

    def __init__(self, config: BalanceConfig, lang: str, side: str, title: str):
        super().__init__(config, lang, side=side, stop_after=1)
        self.title = title

    def hud(self, t: float) -> HudState:
        state = super().hud(t)
        return dataclasses.replace(state, round_label=f"{self.title} · {state.round_label}")
