"""A synthetic data batch for model-level tests and benchmarks (no data set, no data loader)."""
from typing import Tuple

import torch
from mmengine.structures import InstanceData, PixelData
from mmpose.structures import PoseDataSample


def fake_pose_batch(batch_size: int = 4, input_size: Tuple[int, int] = (64, 64),
                    heatmap_size: Tuple[int, int] = (16, 16), num_keypoints: int = 17,
                    seed: int = 0) -> dict:
    """A data batch as MMPose's dataloader yields it (uint8 images, ``PoseDataSample``s with
    ground-truth heatmaps and keypoint weights), for ``model.train_step`` without a data set.
    Sizes are (w, h) as in MMPose configs."""
    gen = torch.Generator().manual_seed(seed)
    (w, h), (hw, hh) = input_size, heatmap_size
    inputs, samples = [], []
    for _ in range(batch_size):
        inputs.append(torch.randint(0, 256, (3, h, w), generator=gen, dtype=torch.uint8))
        sample = PoseDataSample(metainfo=dict(input_size=input_size))
        sample.gt_fields = PixelData(heatmaps=torch.rand(num_keypoints, hh, hw, generator=gen))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=(torch.rand(1, num_keypoints, generator=gen) > 0.2).float())
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)
