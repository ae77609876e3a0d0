"""Which camera punches keep a face crop, for how long, and what makes a punch one to review."""
from __future__ import annotations

from dataclasses import dataclass

from edge_node.common.errors import InvalidArgument

CROP_POLICIES = ("none", "suspicious", "all")


@dataclass(frozen=True)
class ReviewConfig:
    """`[review]`: punch review (docs/admin-guide.md "Punch review").

    ``crops``: "none" keeps no face crop, "suspicious" (default) keeps one for each punch on the review
    list, "all" for every camera punch. ``retention_days``: crops older than this are deleted (0: kept
    until erasure). The margins say when a punch is suspicious; their defaults come from the measured
    figures in docs/recognition.md:

    - ``match_margin`` 0.05: a best score less than 0.05 above the gallery's threshold is what the
      learning rule refuses as "not clearly them" (0 wrong persons at 1,341 people above it).
    - ``runner_up_margin`` 0.10: the learning rule's top-1/top-2 margin, for the same reason.
    - ``liveness_margin`` 0.30: a live score below 0.9 against the 0.6 threshold; on ``spoof_dev``
      9 of the 12 attacks the 0.6 threshold accepts score in that band (7 of 9 on camera-grade
      copies), against 3 of 39 live faces (5 of 76 camera-grade).
    """

    crops: str = "suspicious"
    retention_days: float = 30.0
    crop_size: int = 112
    crop_quality: int = 80
    match_margin: float = 0.05
    runner_up_margin: float = 0.10
    liveness_margin: float = 0.30

    def validate(self) -> None:
        if self.crops not in CROP_POLICIES:
            raise InvalidArgument(f"review.crops must be one of {', '.join(CROP_POLICIES)} (got {self.crops!r})")
        if not 0 <= self.retention_days <= 3650:
            raise InvalidArgument(f"review.retention_days must be between 0 (until erasure) and 3650 "
                                  f"(got {self.retention_days})")
        if not 48 <= self.crop_size <= 320:
            raise InvalidArgument(f"review.crop_size must be between 48 and 320 pixels (got {self.crop_size})")
        if not 30 <= self.crop_quality <= 95:
            raise InvalidArgument(f"review.crop_quality must be between 30 and 95 (got {self.crop_quality})")
        for name in ("match_margin", "runner_up_margin", "liveness_margin"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise InvalidArgument(f"review.{name} must be between 0 and 1 (got {getattr(self, name)})")

    def keeps_crop(self, suspicious: bool) -> bool:
        return self.crops == "all" or (self.crops == "suspicious" and suspicious)
