"""Checks of COCO-style annotation files, with errors that name the file, the annotation and the
image, applied to MMPose's ``BaseCocoStyleDataset`` (COCO, AIC, MPII-in-COCO-format, AP-10K,
APT-36K, ... and any data set built on it) when ``vitpose_ext`` is imported.

Without them, a truncated JSON file raises a bare ``JSONDecodeError``; an annotation with the
wrong number of keypoints fails at collate time (``stack expects each tensor to be equal size``);
a NaN in a ground-truth keypoint silently changes the validation AP; instances dropped for a
zero-size box or no labelled keypoint are not counted anywhere; an empty validation set fails in
the metric (``need at least one array to concatenate``). With them, each is reported when the
data set is built, which the runner does before the first iteration:

* the annotation file must be valid JSON (:class:`ValueError` naming it);
* every annotation must have the data set's number of keypoints and finite keypoints and box;
* top-down data sets log one line with the instances kept and the ones left out, by reason;
* a data set left with no instance is an error;
* every image file must exist (local files; a corrupt image is still found only when read, and
  MMPose's ``LoadImage`` names it then).
"""
import json
import math
import os.path as osp
from typing import Optional

import numpy as np
from mmengine.logging import print_log
from mmpose.datasets.datasets.base import BaseCocoStyleDataset

_original_parse = BaseCocoStyleDataset.parse_data_info
_original_load = BaseCocoStyleDataset.load_data_list


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


def parse_data_info(self: BaseCocoStyleDataset, raw_data_info: dict) -> Optional[dict]:
    """MMPose's ``parse_data_info``, then the checks of one annotation."""
    info = _original_parse(self, raw_data_info)
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
    counts = self.__dict__.setdefault('_vitpose_drops', {})
    counts[reason] = counts.get(reason, 0) + 1
    return info


def load_data_list(self: BaseCocoStyleDataset) -> list:
    """MMPose's ``load_data_list``, naming the file of a JSON error, logging what was left out
    and refusing an empty result."""
    self.__dict__['_vitpose_drops'] = {}
    try:
        data_list = _original_load(self)
    except json.JSONDecodeError as exc:
        raise ValueError(f'{type(self).__name__}: {self.ann_file} is not valid JSON ({exc}); '
                         'is the file truncated?') from None
    counts = self.__dict__.pop('_vitpose_drops')
    if self.bbox_file:  # instances come from the detections, not from the annotations
        return data_list
    dropped = {k: v for k, v in counts.items() if k is not None}
    if dropped:
        print_log(f'{type(self).__name__}: {len(data_list)} instances from {self.ann_file}; left '
                  'out: ' + ', '.join(f'{v} {k}' for k, v in sorted(dropped.items())),
                  'current')
    if not data_list:
        raise ValueError(f'{type(self).__name__}: {self.ann_file} has no usable instance '
                         f'(left out: {dropped or "none"})')
    images = sorted({d['img_path'] for d in data_list
                     if d.get('img_path') and '://' not in d['img_path']})  # local files
    missing = [p for p in images if not osp.isfile(p)]
    if missing:
        raise FileNotFoundError(f'{type(self).__name__}: {len(missing)} of {len(images)} images '
                                f'of {self.ann_file} do not exist, e.g. {", ".join(missing[:3])} '
                                '(data_root / data_prefix?)')
    return data_list


def install() -> None:
    """Apply the checks to ``BaseCocoStyleDataset`` (idempotent)."""
    BaseCocoStyleDataset.parse_data_info = parse_data_info
    BaseCocoStyleDataset.load_data_list = load_data_list
