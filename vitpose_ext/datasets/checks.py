"""COCO-style data sets that check their annotation files, with errors that name the file, the
annotation and the image: ``CheckedCocoDataset``, ``CheckedAicDataset``, ... (MMPose's data set
of the same name without ``Checked``, plus :class:`AnnotationChecks`). This package's configs use
them; MMPose's own data sets are left as they are.

Without the checks, a truncated JSON file raises a bare ``JSONDecodeError``; an annotation with
the wrong number of keypoints fails at collate time (``stack expects each tensor to be equal
size``); a NaN in a ground-truth keypoint silently changes the validation AP; instances dropped
for a zero-size box or no labelled keypoint are not counted anywhere; an empty validation set
fails in the metric (``need at least one array to concatenate``); a detection file of other
images raises a bare ``KeyError`` of an image id; a COCO-WholeBody file read as COCO silently
trains the 17 body keypoints. With them, each is reported when the data set is built, which the
runner does before the first iteration:

* the annotation file must be valid JSON (:class:`ValueError` naming it);
* every annotation must have the data set's number of keypoints and finite keypoints and box
  (MPII's own json too: its ``joints`` and ``joints_vis``);
* COCO-WholeBody annotations must have their ``foot_kpts``, ``face_kpts``, ``lefthand_kpts`` and
  ``righthand_kpts``, and ``CheckedCocoDataset`` refuses them (use
  ``CheckedCocoWholeBodyDataset``);
* the image ids of a detection file (``bbox_file``) must be images of the annotation file;
* top-down data sets log one line with the instances kept and the ones left out, by reason;
* a data set left with no instance is an error;
* every image file must exist (local files; a corrupt image is still found only when read, and
  MMPose's ``LoadImage`` names it then).

A config's top-level ``dataset_type`` (which MMPose's inferencer reads to choose a default
person or animal detector from the data set's module) stays MMPose's name.
"""
import json
import os.path as osp
from typing import Optional

import numpy as np
from mmengine.fileio import load
from mmengine.logging import print_log
from mmpose.datasets import (AicDataset, AP10KDataset, BaseCocoStyleDataset, CocoDataset,
                             CocoWholeBodyDataset, CrowdPoseDataset, MpiiDataset, OCHumanDataset)

from ..registry import DATASETS
from ..utils.metainfo import installed_metainfo
from .apt36k import APT36KDataset

WHOLEBODY_KEYS = ('foot_kpts', 'face_kpts', 'lefthand_kpts', 'righthand_kpts')


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
    """Mixin for a ``BaseCocoStyleDataset`` subclass: the checks of the module docstring. The
    data set's ``METAINFO`` names MMPose's installed metainfo file (no search, no warning:
    :func:`~vitpose_ext.utils.metainfo.installed_metainfo`)."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.METAINFO = installed_metainfo(cls.METAINFO)

    #: where the annotation file holds the keypoints and (second, if another) their visibility
    keypoint_keys = ('keypoints', )
    #: the key of an image's file name in the annotation file
    image_key = 'file_name'
    #: keys every annotation must have (without them MMPose raises a bare ``KeyError``)
    required_keys = ()

    def _where(self, ann_id, image, img_id) -> str:
        """The start of an error message about one annotation."""
        return (f'{type(self).__name__}: {self.ann_file}: annotation {ann_id} (image {image}, '
                f'id {img_id})')

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """The data set's ``parse_data_info``, then the checks of one annotation."""
        ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
        where = self._where(ann.get('id'), img.get('file_name'), ann.get('image_id'))
        missing = [k for k in self.required_keys if k not in ann]
        if missing:
            raise ValueError(f'{where} has no {", ".join(map(repr, missing))}, which '
                             f'{type(self).__name__} ({self.metainfo.get("dataset_name")}) '
                             'reads; is it a file of another data set?')
        info = super().parse_data_info(raw_data_info)
        if info:
            self._check_instance(info, where)
        return info

    def _check_instance(self, info: dict, where: str) -> None:
        """The checks of one parsed instance (``where`` names it); counts the ones left out."""
        expected = self.metainfo.get('num_keypoints')
        counts = (info['keypoints'].shape[-2], info['keypoints_visible'].shape[-1])
        for key, found in zip(self.keypoint_keys, counts):
            if expected is not None and found != expected:
                raise ValueError(f'{where} has {found} keypoints (key {key}); '
                                 f'{type(self).__name__} ({self.metainfo.get("dataset_name")}) '
                                 f'has {expected}')
        for key in ('keypoints', 'bbox'):
            if not np.isfinite(info[key]).all():
                raise ValueError(f'{where}: its {key} hold NaN or inf')
        if 'area' in info and not np.isfinite(info['area']).all():
            raise ValueError(f'{where}: its area is NaN or inf')
        reason = drop_reason(info) if self.data_mode == 'topdown' else None
        self._drops[reason] = self._drops.get(reason, 0) + 1

    def _load_detection_results(self) -> list:
        """The data set's, naming the detections of images the annotation file does not have
        (a bare ``KeyError`` of the first one in MMPose)."""
        try:
            return super()._load_detection_results()
        except (KeyError, TypeError):  # TypeError: an id of another type, e.g. '785'
            known = set(self.coco.getImgIds())  # MMPose read the annotation file before failing
            dets = [d for d in load(self.bbox_file) if d.get('category_id') == 1]
            unknown = sorted({d.get('image_id') for d in dets} - known, key=str)
            if not unknown:
                raise
            raise ValueError(
                f'{type(self).__name__}: the image_id of detections in {self.bbox_file} are not '
                f'images of {self.ann_file}: {len(unknown)} unknown ids, e.g. '
                f'{", ".join(map(str, unknown[:5]))} (its image ids are e.g. '
                f'{", ".join(map(str, sorted(known)[:5]))}); detections of another split or data '
                'set?') from None

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
            if not data_list:
                raise ValueError(f'{name}: {self.bbox_file} has no person detection '
                                 f'(category_id 1) of the images of {self.ann_file}')
        else:
            dropped = {k: v for k, v in self._drops.items() if k is not None}
            if dropped:
                print_log(f'{name}: {len(data_list)} instances from {self.ann_file}; left out: '
                          + ', '.join(f'{v} {k}' for k, v in sorted(dropped.items())), 'current')
            if not data_list:
                raise ValueError(f'{name}: {self.ann_file} has no usable instance (left out: '
                                 f'{dropped or "none"})')
        images = {d['img_path']: d['img_id'] for d in data_list
                  if d.get('img_path') and '://' not in d['img_path']}  # local files
        missing = sorted(p for p in images if not osp.isfile(p))
        if missing:
            raise FileNotFoundError(
                f'{name}: {len(missing)} of {len(images)} images of {self.ann_file} do not exist, '
                f'e.g. ' + ', '.join(f'{p} (image id {images[p]})' for p in missing[:3])
                + f" (its '{self.image_key}' under data_prefix {self.data_prefix.get('img')!r}; "
                'data_root / data_prefix?)')
        return data_list


@DATASETS.register_module()
class CheckedCocoDataset(AnnotationChecks, CocoDataset):
    """MMPose's ``CocoDataset`` with :class:`AnnotationChecks`; refuses a COCO-WholeBody file
    (which ``CocoDataset`` reads as its 17 body keypoints)."""

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        ann = raw_data_info['raw_ann_info']
        wholebody = [k for k in WHOLEBODY_KEYS if k in ann]
        if wholebody:
            raise ValueError(f"{type(self).__name__}: {self.ann_file} is a COCO-WholeBody file "
                             f"(annotation {ann.get('id')} has the key '{wholebody[0]}'); use "
                             'CheckedCocoWholeBodyDataset')
        return super().parse_data_info(raw_data_info)


@DATASETS.register_module()
class CheckedAicDataset(AnnotationChecks, AicDataset):
    """MMPose's ``AicDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedMpiiDataset(AnnotationChecks, MpiiDataset):
    """MMPose's ``MpiiDataset`` (MPII's own json) with :class:`AnnotationChecks`. MMPose reads that
    json without ``parse_data_info``: the checks run on each instance it makes (annotation ids
    are the places in the json's list, image ids the image names' numbers)."""

    keypoint_keys = ('joints', 'joints_vis')
    image_key = 'image'

    def _load_annotations(self) -> tuple:
        instance_list, image_list = super()._load_annotations()
        for info in instance_list:
            where = self._where(info['id'], osp.basename(info['img_path']), info['img_id'])
            self._check_instance(info, where)
        return instance_list, image_list


@DATASETS.register_module()
class CheckedAP10KDataset(AnnotationChecks, AP10KDataset):
    """MMPose's ``AP10KDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedAPT36KDataset(AnnotationChecks, APT36KDataset):
    """:class:`APT36KDataset` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedCocoWholeBodyDataset(AnnotationChecks, CocoWholeBodyDataset):
    """MMPose's ``CocoWholeBodyDataset`` with :class:`AnnotationChecks`; refuses an annotation
    without the foot, face and hand keypoints (a plain COCO file)."""

    keypoint_keys = (' + '.join(('keypoints', ) + WHOLEBODY_KEYS), )
    required_keys = WHOLEBODY_KEYS


@DATASETS.register_module()
class CheckedCrowdPoseDataset(AnnotationChecks, CrowdPoseDataset):
    """MMPose's ``CrowdPoseDataset`` with :class:`AnnotationChecks`."""


@DATASETS.register_module()
class CheckedOCHumanDataset(AnnotationChecks, OCHumanDataset):
    """MMPose's ``OCHumanDataset`` with :class:`AnnotationChecks`."""
