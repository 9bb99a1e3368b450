"""Fast end-to-end top-down inference: images, folders, globs and videos to COCO keypoint
results, batched on the device (docs/inference.md). ``tools/infer.py`` is its command line."""
from .boxes import DetectorBoxes, filter_boxes, image_ids_from_annotations, load_detections
from .crop import batch_crops, crop_frames, warp_crops
from .decode import udp_dark_decode
from .predictor import TopdownPredictor
from .results import ImagePrediction, coco_keypoint_results, rescore, write_results
from .smoothing import OneEuroFilter, PoseSmoother
from .sources import ImageFiles, PersonBatchSampler, VideoFrames, list_images, make_loader

__all__ = [
    'DetectorBoxes', 'ImageFiles', 'ImagePrediction', 'OneEuroFilter', 'PersonBatchSampler',
    'PoseSmoother', 'TopdownPredictor', 'VideoFrames', 'batch_crops', 'coco_keypoint_results',
    'crop_frames', 'filter_boxes', 'image_ids_from_annotations', 'list_images',
    'load_detections', 'make_loader', 'rescore', 'udp_dark_decode', 'warp_crops',
    'write_results',
]
