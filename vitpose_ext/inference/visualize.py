"""Pictures of predictions, drawn by MMPose's ``PoseLocalVisualizer`` with the model's skeleton
and colours: one picture per image, or one video for a video input."""
import os
import os.path as osp
from typing import Optional, Tuple

import cv2
import mmcv
from mmengine.structures import InstanceData
from mmpose.structures import PoseDataSample
from mmpose.visualization import PoseLocalVisualizer

from .results import ImagePrediction


class PoseDrawer:
    """Draws ``ImagePrediction``s (with their ``image``) into ``out_dir``.

    Args:
        dataset_meta (dict): the model's (skeleton, colours).
        out_dir (str): where pictures (the input's file names) or the video go.
        kpt_thr (float): keypoints with lower scores are not drawn.
        bbox_thr (float): persons whose box score is lower are not drawn.
        video (tuple, optional): (file name, fps, (w, h)) to write one video instead.
    """

    def __init__(self, dataset_meta: dict, out_dir: str, kpt_thr: float = 0.3,
                 bbox_thr: float = 0.3, video: Optional[Tuple[str, float, Tuple[int, int]]] = None) -> None:
        os.makedirs(out_dir, exist_ok=True)
        self.visualizer = PoseLocalVisualizer(name=f'pose_drawer_{id(self)}', radius=3,
                                              line_width=2)
        self.visualizer.set_dataset_meta(dataset_meta)
        self.out_dir, self.kpt_thr, self.bbox_thr, self.writer = out_dir, kpt_thr, bbox_thr, None
        if video is not None:
            name, fps, size = video
            path = osp.join(out_dir, name)
            self.writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps, size)
            if not self.writer.isOpened():
                raise ValueError(f'{type(self).__name__}: cannot write the video {path}')

    def __call__(self, pred: ImagePrediction) -> None:
        shown = pred.boxes[:, 4] >= self.bbox_thr
        sample = PoseDataSample()
        sample.pred_instances = InstanceData(
            keypoints=pred.keypoints[shown], keypoint_scores=pred.keypoint_scores[shown],
            keypoints_visible=pred.keypoint_scores[shown], bboxes=pred.boxes[shown, :4])
        drawn = self.visualizer.add_datasample(
            'pose', mmcv.bgr2rgb(pred.image), sample, draw_gt=False, draw_bbox=True,
            kpt_thr=self.kpt_thr, show=False)
        drawn = mmcv.rgb2bgr(drawn)
        if self.writer is not None:
            self.writer.write(drawn)
        else:
            mmcv.imwrite(drawn, osp.join(self.out_dir, osp.basename(pred.path)))

    def close(self) -> None:
        if self.writer is not None:
            self.writer.release()
