"""Lay the real data samples out as MMPose's standard data folder, with links.

    python tools/dataset_converters/link_realdata.py [SAMPLES] [DEST]

SAMPLES is the folder of small real samples (default ``../shared/realdata``, its README lists
them), DEST the folder to create (default ``data/realdata``). DEST then holds ``coco/``,
``aic/``, ``mpii/``, ``ap10k/``, ``apt36k/``, ``crowdpose/`` and ``ochuman/`` under the file
names MMPose's and this package's configs read (``coco/annotations/person_keypoints_val2017.json``,
``coco/val2017/``, the COCO val detections, ...), so one switch points any config at them:

    VITPOSE_DATA_ROOT=data/realdata python tools/test.py CONFIG CHECKPOINT

Every file is a symbolic link to the sample (a training and a validation name link to the same
file), except MPII's head boxes: the sample has no ``mpii_gt_val.mat``, so one is written with
each person's head box taken as the square around the upper-neck to head-top segment (MPII's
annotated boxes are drawn by hand; PCKh on these boxes is a check of the pipeline, not MPII's
benchmark). APT-36K has no sample: ``apt36k/`` is the AP-10K sample in APT-36K's layout (same
17 keypoints).
"""
import argparse
import json
import os
import os.path as osp

import numpy as np
from scipy.io import savemat

# DEST sub-folder -> {name under it: path in SAMPLES}; a trailing '/' links a folder
LAYOUT = {
    'coco': {
        'annotations/person_keypoints_train2017.json': 'coco/test_coco.json',
        'annotations/person_keypoints_val2017.json': 'coco/test_coco.json',
        'annotations/coco_wholebody_train_v1.0.json': 'coco/test_coco_wholebody.json',
        'annotations/coco_wholebody_val_v1.0.json': 'coco/test_coco_wholebody.json',
        'person_detection_results/COCO_val2017_detections_AP_H_56_person.json':
            'coco/test_coco_det_AP_H_56.json',
        'train2017/': 'coco/',
        'val2017/': 'coco/',
    },
    'aic': {
        'annotations/aic_train.json': 'aic/test_aic.json',
        'annotations/aic_val.json': 'aic/test_aic.json',
        'ai_challenger_keypoint_train_20170902/keypoint_train_images_20170902/': 'aic/',
        'ai_challenger_keypoint_validation_20170911/keypoint_validation_images_20170911/':
            'aic/',
    },
    'mpii': {
        'annotations/mpii_train.json': 'mpii/test_mpii.json',
        'annotations/mpii_val.json': 'mpii/test_mpii.json',
        'images/': 'mpii/',
    },
    'ap10k': {
        'annotations/ap10k-train-split1.json': 'ap10k/test_ap10k.json',
        'annotations/ap10k-val-split1.json': 'ap10k/test_ap10k.json',
        'data/': 'ap10k/',
    },
    'apt36k': {  # images directly under the data root (data_prefix '')
        'annotations/train_annotations_1.json': 'ap10k/test_ap10k.json',
        'annotations/val_annotations_1.json': 'ap10k/test_ap10k.json',
    },
    'crowdpose': {
        'annotations/mmpose_crowdpose_trainval.json': 'crowdpose/test_crowdpose.json',
        'annotations/mmpose_crowdpose_test.json': 'crowdpose/test_crowdpose.json',
        'annotations/det_for_crowd_test_0.1_0.5.json': 'crowdpose/test_crowdpose_det_AP_40.json',
        'images/': 'crowdpose/',
    },
    'ochuman': {
        'annotations/ochuman_coco_format_val_range_0.00_1.00.json': 'ochuman/test_ochuman.json',
        'annotations/ochuman_coco_format_test_range_0.00_1.00.json': 'ochuman/test_ochuman.json',
        'images/': 'ochuman/',
    },
}
MPII_HEADBOX = 'mpii/annotations/mpii_gt_val.mat'
MPII_NECK, MPII_HEAD_TOP = 8, 9


def _link(target: str, name: str) -> None:
    name = name.rstrip('/')
    os.makedirs(osp.dirname(name), exist_ok=True)
    if osp.lexists(name):
        if osp.realpath(name) == osp.realpath(target):
            return
        raise FileExistsError(f'link_realdata: {name} exists and is not a link to {target}')
    os.symlink(osp.abspath(target), name)


def write_mpii_headboxes(ann_file: str, out_file: str) -> None:
    """MPII's ``headboxes_src`` (2 corners x 2 coordinates x persons, the layout MMPose's
    ``MpiiDataset`` reads) from each person's upper-neck and head-top joints."""
    with open(ann_file) as f:
        people = json.load(f)
    boxes = []
    for i, person in enumerate(people):
        joints = np.asarray(person['joints'], dtype=np.float64)
        if joints.shape != (16, 2):
            raise ValueError(f'link_realdata: {ann_file}: person {i} ({person.get("image")}) has '
                             f"'joints' of shape {joints.shape}, MPII has (16, 2)")
        neck, top = joints[MPII_NECK], joints[MPII_HEAD_TOP]
        centre, half = (neck + top) / 2, np.linalg.norm(top - neck) / 2
        boxes.append([centre - half, centre + half])
    os.makedirs(osp.dirname(out_file), exist_ok=True)
    savemat(out_file, {'headboxes_src': np.transpose(np.asarray(boxes), (1, 2, 0))})


def link_realdata(samples: str, dest: str) -> str:
    """Lay ``samples`` out under ``dest`` (see the module docstring); returns ``dest``."""
    if not osp.isdir(samples):
        raise FileNotFoundError(f'link_realdata: no samples at {samples}')
    for folder, files in LAYOUT.items():
        for name, source in files.items():
            _link(osp.join(samples, source), osp.join(dest, folder, name))
    with open(osp.join(samples, 'ap10k', 'test_ap10k.json')) as f:
        for image in json.load(f)['images']:  # APT-36K: images beside its annotations folder
            _link(osp.join(samples, 'ap10k', image['file_name']),
                  osp.join(dest, 'apt36k', image['file_name']))
    write_mpii_headboxes(osp.join(samples, 'mpii', 'test_mpii.json'), osp.join(dest, MPII_HEADBOX))
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('samples', nargs='?', default=osp.join('..', 'shared', 'realdata'))
    parser.add_argument('dest', nargs='?', default=osp.join('data', 'realdata'))
    args = parser.parse_args()
    dest = link_realdata(args.samples, args.dest)
    print(f'{dest}: MMPose layout of {args.samples}; use it with VITPOSE_DATA_ROOT={dest}')


if __name__ == '__main__':
    main()
