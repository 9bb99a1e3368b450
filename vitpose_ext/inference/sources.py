"""Inputs: an image, a folder, a glob or a video, read in DataLoader workers (decoded as MMPose's
``LoadImage`` decodes them, with their boxes and crop frames), batched into zero-padded uint8
tensors for ``crop.warp_crops``.

Every item is a dict: ``image`` (H, W, 3) uint8 BGR, ``path``, ``image_id``, ``frame`` (its
index in the input), ``boxes`` (N, 5) float32 or ``None`` (boxes still to be detected) and,
with boxes, ``centers``, ``scales``, ``inverse`` (``crop.crop_frames``).
"""
import glob
import os
import os.path as osp
from typing import Dict, Iterator, List, Mapping, Optional, Sequence

import cv2
import mmcv
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, Sampler

from .boxes import whole_image_box
from .crop import crop_frames

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v')


def is_video(path: str) -> bool:
    return osp.isfile(path) and path.lower().endswith(VIDEO_EXTENSIONS)


def list_images(source: str) -> List[str]:
    """The image files of ``source``: one image, a folder's images (sorted, not recursive) or
    a glob pattern's matches (sorted)."""
    if osp.isdir(source):
        paths = [osp.join(source, name) for name in sorted(os.listdir(source))
                 if name.lower().endswith(IMAGE_EXTENSIONS)]
    elif osp.isfile(source):
        paths = [source]
    elif glob.has_magic(source):
        paths = [p for p in sorted(glob.glob(source)) if p.lower().endswith(IMAGE_EXTENSIONS)]
    else:
        raise ValueError(f'input {source} is no file, folder or glob pattern')
    if not paths:
        raise ValueError(f'input {source} holds no images ({", ".join(IMAGE_EXTENSIONS)})')
    return paths


def image_id_of(path: str, ids: Optional[Mapping[str, int]] = None) -> int:
    """The COCO image id of ``path``: from ``ids`` ({file name: id},
    ``boxes.image_ids_from_annotations``) by the longest end of the path that it holds, or else
    the file name's number, as COCO names its images (``000000000785.jpg`` -> 785)."""
    if ids is not None:
        parts = osp.normpath(path).split(os.sep)
        for start in range(len(parts)):
            name = '/'.join(parts[start:])
            if name in ids:
                return ids[name]
        raise ValueError(f'image {path} is not in the annotation file\'s images')
    stem = osp.splitext(osp.basename(path))[0]
    if not stem.isdigit():
        raise ValueError(f'image {path}: its name is no COCO image id; pass the annotation '
                         'file (--ann-file) to look the ids up')
    return int(stem)


class _WithBoxes:
    """What both sources share: the boxes of an item and its crop frames."""

    def __init__(self, input_size: Sequence[int], padding: float, use_udp: bool,
                 boxes: Optional[Mapping[int, np.ndarray]], whole_image: bool) -> None:
        if boxes is not None and whole_image:
            raise ValueError(f'{type(self).__name__}: boxes and whole_image exclude each other')
        self.crop = dict(input_size=tuple(input_size), padding=padding, use_udp=use_udp)
        self.boxes, self.whole_image = boxes, whole_image

    def person_count(self, image_id: int) -> Optional[int]:
        """Boxes of an image, when known before reading it."""
        if self.whole_image:
            return 1
        if self.boxes is not None:
            return len(self.boxes.get(image_id, ()))
        return None

    def item(self, image: np.ndarray, path: str, image_id: int, frame: int) -> dict:
        if self.whole_image:
            boxes = whole_image_box(*image.shape[:2])
        elif self.boxes is not None:
            boxes = self.boxes.get(image_id, np.zeros((0, 5), np.float32))
        else:
            boxes = None
        item = dict(image=image, path=path, image_id=image_id, frame=frame, boxes=boxes)
        if boxes is not None:
            item.update(zip(('centers', 'scales', 'inverse'), crop_frames(boxes, **self.crop)))
        return item


class ImageFiles(_WithBoxes, Dataset):
    """Image files, decoded as ``LoadImage`` does (``mmcv.imread``: BGR, colour; grayscale
    files become three channels).

    Args:
        paths (list[str]): the images (``list_images``).
        input_size (tuple[int, int]): the model's crop (w, h).
        padding (float): box padding of ``GetBBoxCenterScale``.
        use_udp (bool): UDP crops (``TopdownAffine(use_udp)``).
        boxes (dict, optional): {image_id: (N, 5)} (``boxes.load_detections``); images
            missing from it have no person.
        whole_image (bool): one box per image, the whole image.
        image_ids (dict, optional): {file name: image id}; default: the file name's number.
    """

    def __init__(self, paths: Sequence[str], input_size: Sequence[int], padding: float = 1.25,
                 use_udp: bool = True, boxes: Optional[Mapping[int, np.ndarray]] = None,
                 whole_image: bool = False, image_ids: Optional[Mapping[str, int]] = None):
        super().__init__(input_size, padding, use_udp, boxes, whole_image)
        self.paths = list(paths)
        needs_ids = boxes is not None or image_ids is not None
        self.image_ids = [image_id_of(p, image_ids) if needs_ids else i
                          for i, p in enumerate(self.paths)]

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> dict:
        path = self.paths[index]
        try:
            image = mmcv.imread(path)
        except Exception as exc:  # mmcv raises on unreadable and missing files alike
            raise ValueError(f'cannot read the image {path}: {exc}') from exc
        if image is None:
            raise ValueError(f'cannot decode the image {path}')
        return self.item(image, path, self.image_ids[index], index)

    def person_counts(self) -> Optional[List[int]]:
        counts = [self.person_count(i) for i in self.image_ids]
        return None if None in counts else counts


class VideoFrames(_WithBoxes, IterableDataset):
    """A video's frames in order (OpenCV's decoder, BGR); ``image_id`` is the frame index.
    Read it with one DataLoader worker (more would each read the whole video). Arguments as
    ``ImageFiles``' (``boxes`` keyed by frame index)."""

    def __init__(self, path: str, input_size: Sequence[int], padding: float = 1.25,
                 use_udp: bool = True, boxes: Optional[Mapping[int, np.ndarray]] = None,
                 whole_image: bool = False):
        super().__init__(input_size, padding, use_udp, boxes, whole_image)
        capture = cv2.VideoCapture(path)
        if not capture.isOpened():
            raise ValueError(f'cannot open the video {path}')
        self.path = path
        self.fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
        self.num_frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        self.frame_size = (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
                           int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        capture.release()

    def __iter__(self) -> Iterator[dict]:
        capture = cv2.VideoCapture(self.path)
        frame = 0
        try:
            while True:
                ok, image = capture.read()
                if not ok:
                    break
                yield self.item(image, self.path, frame, frame)
                frame += 1
        finally:
            capture.release()


class PersonBatchSampler(Sampler):
    """Consecutive images grouped so that each batch holds at most ``batch_size`` persons
    (an image with more persons is a batch of its own; the forward pass splits its crops)."""

    def __init__(self, person_counts: Sequence[int], batch_size: int) -> None:
        if batch_size < 1:
            raise ValueError(f'PersonBatchSampler: batch_size must be >= 1, got {batch_size}')
        self.batches, batch, persons = [], [], 0
        for index, count in enumerate(person_counts):
            if batch and persons + count > batch_size:
                self.batches.append(batch)
                batch, persons = [], 0
            batch.append(index)
            persons += count
        if batch:
            self.batches.append(batch)

    def __iter__(self) -> Iterator[List[int]]:
        return iter(self.batches)

    def __len__(self) -> int:
        return len(self.batches)


def collate(items: List[dict]) -> Dict[str, object]:
    """``images`` (M, H, W, 3) uint8, each image top-left, zeros elsewhere, and ``items`` (the
    items without their image, plus ``shape``)."""
    height = max(item['image'].shape[0] for item in items)
    width = max(item['image'].shape[1] for item in items)
    images = torch.zeros((len(items), height, width, 3), dtype=torch.uint8)
    metas = []
    for i, item in enumerate(items):
        image = item['image']
        images[i, :image.shape[0], :image.shape[1]] = torch.from_numpy(image)
        metas.append({k: v for k, v in item.items() if k != 'image'} | dict(shape=image.shape[:2]))
    return dict(images=images, items=metas)


def make_loader(dataset: Dataset, batch_size: int = 64, num_workers: int = 2,
                pin_memory: bool = False, images_per_batch: int = 8) -> DataLoader:
    """A prefetching DataLoader of ``collate``d batches: images grouped by ``batch_size``
    persons where the boxes are known before reading (``PersonBatchSampler``), otherwise
    ``images_per_batch`` images. A video is read by one worker, in order."""
    video = isinstance(dataset, IterableDataset)
    counts = None if video else dataset.person_counts()
    workers = min(num_workers, 1) if video else num_workers
    common = dict(collate_fn=collate, num_workers=workers, pin_memory=pin_memory,
                  prefetch_factor=4 if workers else None, persistent_workers=False)
    if counts is None:
        return DataLoader(dataset, batch_size=images_per_batch, shuffle=False, **common)
    return DataLoader(dataset, batch_sampler=PersonBatchSampler(counts, batch_size), **common)
