"""Photometric normalisation of a dim aligned face crop before embedding (optional)."""

from __future__ import annotations

import cv2
import numpy as np

# Mean grey level a normalised crop is brought to (about mid-grey of a well-exposed face).
_TARGET = 110.0


def brighten(aligned_bgr: np.ndarray) -> np.ndarray:
    """Gamma that takes the crop's mean grey to mid-grey, then CLAHE on the lightness channel."""
    grey_mean = float(cv2.cvtColor(aligned_bgr, cv2.COLOR_BGR2GRAY).mean())
    mean = min(max(grey_mean, 1.0), 254.0) / 255.0
    gamma = np.log(_TARGET / 255.0) / np.log(mean)
    lut = np.clip(255.0 * (np.arange(256) / 255.0) ** gamma + 0.5, 0, 255).astype(np.uint8)
    lifted = cv2.LUT(aligned_bgr, lut)
    lab = cv2.cvtColor(lifted, cv2.COLOR_BGR2LAB)
    lab[:, :, 0] = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(4, 4)).apply(lab[:, :, 0])
    return cv2.cvtColor(lab, cv2.COLOR_LAB2BGR)
