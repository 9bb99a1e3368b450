"""Data: the synthetic COCO-keypoints generator and (later) transforms."""
from . import transforms  # noqa: F401  (register the transforms)
