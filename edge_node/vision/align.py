"""Five-point similarity alignment onto the standard 112x112 ArcFace template."""

from __future__ import annotations

import cv2
import numpy as np

ALIGNED_SIZE = 112
# Image-left eye, image-right eye, nose tip, image-left and image-right mouth corner.
ARCFACE_TEMPLATE = np.array(
    [
        [38.2946, 51.6963],
        [73.5318, 51.5014],
        [56.0252, 71.7366],
        [41.5493, 92.3655],
        [70.7299, 92.2041],
    ],
    dtype=np.float64,
)


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares similarity (rotation, uniform scale, translation) mapping ``src`` onto ``dst``.

    In 2-D the rotation-and-scale block is ``[[a, -b], [b, a]]`` and the least-squares ``a, b``
    have a closed form on the centred points: the same solution as Umeyama's SVD (no reflection),
    in plain floats because five points are too few for numpy to pay. Returns a 2x3 matrix for
    ``cv2.warpAffine``.
    """
    s = np.asarray(src, dtype=np.float64).tolist()
    d = np.asarray(dst, dtype=np.float64).tolist()
    n = len(s)
    sx, sy = sum(p[0] for p in s) / n, sum(p[1] for p in s) / n
    dx, dy = sum(p[0] for p in d) / n, sum(p[1] for p in d) / n
    var = dot = cross = 0.0
    for (x, y), (u, v) in zip(s, d):
        x, y, u, v = x - sx, y - sy, u - dx, v - dy
        var += x * x + y * y
        dot += x * u + y * v
        cross += x * v - y * u
    a, b = (dot / var, cross / var) if var > 0 else (1.0, 0.0)
    return np.array([[a, -b, dx - a * sx + b * sy], [b, a, dy - b * sx - a * sy]])


def align_face(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Warp the face with YuNet ``landmarks`` (5x2) into a 112x112 BGR crop."""
    matrix = similarity_transform(landmarks, ARCFACE_TEMPLATE)
    return cv2.warpAffine(image, matrix, (ALIGNED_SIZE, ALIGNED_SIZE), flags=cv2.INTER_LINEAR)
