"""Data: the synthetic COCO-keypoints generator and (later) transforms."""
