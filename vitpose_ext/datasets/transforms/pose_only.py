"""Top-down pipelines without images, for models trained on poses alone (PCT's tokenizer)."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmpose.datasets.transforms import PackPoseInputs

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class SkipImage(BaseTransform):
    """Stands in for ``LoadImage``: reads no pixels.

    Sets ``img`` to an empty list of images. MMPose's geometric transforms (``RandomFlip``,
    ``TopdownAffine``) map over a list of images, so they transform boxes and keypoints and no
    pixels; ``GetBBoxCenterScale``, ``RandomHalfBody``, ``RandomBBoxTransform`` and
    ``GenerateTarget`` never read the image. ``img_shape`` / ``ori_shape`` (needed by
    ``RandomFlip``, not in an instance's annotation) become the extent of the box and the
    keypoints: crop coordinates, all that follows ``TopdownAffine``, do not depend on it. End
    the pipeline with :class:`PackPoseOnlyInputs`.
    """

    def transform(self, results: dict) -> dict:
        points = np.concatenate([np.reshape(results['bbox'], (-1, 2)),
                                 np.reshape(results['keypoints'], (-1, 2))])
        w, h = np.ceil(points.max(axis=0)).astype(int) + 1
        results['img'] = []
        results['img_shape'] = results['ori_shape'] = (int(h), int(w))
        return results


@TRANSFORMS.register_module()
class PackPoseOnlyInputs(PackPoseInputs):
    """``PackPoseInputs`` for pipelines that start with :class:`SkipImage`: ``inputs`` is an
    empty (0, 0, 0) tensor; the poses are in the data sample (``gt_instances`` in image
    coordinates, ``gt_instance_labels`` from ``GenerateTarget``)."""

    def transform(self, results: dict) -> dict:
        return super().transform(dict(results, img=np.zeros((0, 0, 0), np.uint8)))
