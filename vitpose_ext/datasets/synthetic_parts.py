"""Rasterising a figure's parts into the image and its visibility mask (synthetic data sets)."""
import cv2
import numpy as np


def draw_parts(img: np.ndarray, mask: np.ndarray, parts: list) -> None:
    """Draw ``parts``, a list of ``(kind, geometry, colour)`` with kind ``'poly'`` (a convex
    polygon), ``'line'`` ((p0, p1, thickness)) or ``'circle'`` ((centre, radius)), filled and
    anti-aliased, into ``img`` in their colours and into ``mask`` as 255."""
    for kind, geom, color in parts:
        color = tuple(float(c) for c in color)
        for target, value in ((img, color), (mask, 255)):
            if kind == 'poly':
                cv2.fillConvexPoly(target, geom, value, cv2.LINE_AA)
            elif kind == 'line':
                cv2.line(target, tuple(map(int, geom[0])), tuple(map(int, geom[1])), value,
                         int(geom[2]), cv2.LINE_AA)
            else:
                cv2.circle(target, tuple(map(int, geom[0])), int(geom[1]), value, -1, cv2.LINE_AA)
