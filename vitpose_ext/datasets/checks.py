"""COCO-style data sets that check their annotation files, with errors that name the file, the
annotation and the image: ``CheckedCocoDataset``, ``CheckedAicDataset``, ... (MMPose's data set
of the same name without ``Checked``, plus :class:`AnnotationChecks`). This package's configs use
them; MMPose's own data sets are left as they are.

Without the checks, a truncated JSON file raises a bare ``JSONDecodeError``; an annotation with
the wrong number of keypoints fails at collate time (``stack expects each tensor to be equal
size``); a NaN in a ground-truth keypoint silently changes the validation AP; instances dropped
for a zero-size box or no labelled keypoint are not counted anywhere; an empty validation set
fails in the metric (``need at least one array to concatenate``). With them, each is reported
when the data set is built, which the runner does before the first iteration:

* the annotation file must be valid JSON (:class:`ValueError` naming it);
* every annotation must have the data set's number of keypoints and finite keypoints and box;
* top-down data sets log one line with the instances kept and the ones left out, by reason;
* a data set left with no instance is an error;
* every image file must exist (local files; a corrupt image is still found only when read, and
  MMPose's ``LoadImage`` names it then).

A config's top-level ``dataset_type`` (which MMPose's inferencer reads to choose a default
person or animal detector from the data set's module) stays MMPose's name.
"""
import json
import math
import os.path as osp
from typing import Optional

import numpy as np
from mmengine.logging import print_log
from mmpose.datasets import (AicDataset, AP10KDataset, BaseCocoStyleDataset, CocoDataset,
                             CocoWholeBodyDataset, CrowdPoseDataset, MpiiDataset, OCHumanDataset)

from ..registry import DATASETS
from .apt36k import APT36KDataset


def drop_reason(info: dict) -> Optional[str]:
    """None if MMPose's top-down mode keeps the instance (its own ``_is_valid_instance``
    decides), else the reason it leaves it out."""
    if BaseCocoStyleDataset._is_valid_instance(info):
        return None
    if info.get('iscrowd'):
        return 'crowd'
    if info.get('num_keypoints', 1) == 0 or np.max(info['keypoints']) <= 0:
        return 'no labelled keypoint'
    return 'zero-size box'


class AnnotationChecks:
    """Mixin for a ``BaseCocoStyleDataset`` subclass: the checks of the module docstring."""

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """The data set's ``parse_data_info``, then the checks of one annotation."""
        info = super().parse_data_info(raw_data_info)
        if not info:
            return info
        ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
        where = (f"{self.ann_file}: annotation {ann.get('id')} (image {img.get('file_name')}, "
                 f"id {ann.get('image_id')})")
        expected = self.metainfo.get('num_keypoints')
        found = info['keypoints'].shape[-2]
        if expected is not None and found != expected:
            raise ValueError(f'{where} has {found} keypoints; {type(self).__name__} '
                             f'({self.metainfo.get("dataset_name")}) has {expected}')
        for key in ('keypoints', 'bbox'):
            if not np.isfinite(info[key]).all():
                raise ValueError(f'{where}: its {key} hold NaN or inf')
        if 'area' in info and not math.isfinite(float(info['area'])):
            raise ValueError(f'{where}: its area is NaN or inf')
        reason = drop_reason(info) if self.data_mode == 'topdown' else None
        self._drops[reason] = self._drops.get(reason, 0) + 1
        return info

    def load_data_list(self) -> list:
        """The data set's ``load_data_list``, naming the file of a JSON error, logging what was
        left out and refusing an empty result or missing images."""
        name = type(self).__name__
        self._drops = {}
        try:
            data_list = super().load_data_list()
        except json.JSONDecodeError as exc:
            raise ValueError(f'{name}: {self.ann_file} is not valid JSON ({exc}); is the file '
                             'truncated?') from None
        if self.bbox_file:  # instances come from the detections, not from the annotations
            return data_list
        dropped = {k: v for k, v in self._drops.items() if k is not None}
        if dropped:
            print_log(f'{name}: {len(data_list)} instances from {self.ann_file}; left out: '
                      + ', '.join(f'{v} {k}' for k, v in sorted(dropped.items())), 'current')
        if not data_list:
            raise ValueError(f'{name}: {self.ann_file} has no usable instance (left out: '
                             f'{dropped or "none"})')
        images = sorted({d['img_path'] for d in data_list
                         if d.get('img_path') and '://' not in d['img_path']})  # local files
        missing = [p for p in images if not osp.isfile(p)]
        if missing:
            raise FileNotFoundError(f'{name}: {len(missing)} of {len(images)} images of '
                                    f'{self.ann_file} do not exist, e.g. '
                                    f'{", ".join(missing[:3])} (data_root / data_prefix?)')
        return data_list


@DATASETS.register_module()
class CheckedCocoDataset(AnnotationChecks, CocoDataset):
    """MMPose's ``CocoDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedAicDataset(AnnotationChecks, AicDataset):
    """MMPose's ``AicDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedMpiiDataset(AnnotationChecks, MpiiDataset):
    """MMPose's ``MpiiDataset`` (MPII's own json) with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedAP10KDataset(AnnotationChecks, AP10KDataset):
    """MMPose's ``AP10KDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedAPT36KDataset(AnnotationChecks, APT36KDataset):
    """:class:`APT36KDataset` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedCocoWholeBodyDataset(AnnotationChecks, CocoWholeBodyDataset):
    """MMPose's ``CocoWholeBodyDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedCrowdPoseDataset(AnnotationChecks, CrowdPoseDataset):
    """MMPose's ``CrowdPoseDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedOCHumanDataset(AnnotationChecks, OCHumanDataset):
    """MMPose's ``OCHumanDataset`` with :class:`AnnotationChecks`."""
