"""The top-down pipelines of this package's configs, built in one place from the input size and
the codec, so a config that changes either states it once instead of copying the lists.

A config imports them after its ``_base_`` line (MMEngine reads a file whose first statement sets
``_base_`` as a classic config and drops imported names from the result). A config that changes
the input size or the codec of its base gives its loaders the new pipelines in one line::

    _base_ = ['../_base_/vitpose-tiny_synthcoco.py']
    from vitpose_ext.utils.pipelines import topdown_loaders

    input_size = (64, 64)
    codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(32, 32), sigma=2)
    train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec)

A config that needs the lists themselves (several data sets, another loader) calls
:func:`topdown_pipelines`.
"""
from typing import Optional, Sequence, Tuple


def topdown_pipelines(input_size: Sequence[int], codec: Optional[dict], use_udp: bool = True,
                      bbox_transform: Optional[dict] = None, after_affine: Sequence[dict] = (),
                      half_body: bool = True, keypoints_only: bool = False) -> Tuple[list, list]:
    """MMPose's top-down training and validation pipelines.

    Args:
        input_size: (w, h) of the crop.
        codec: the ``GenerateTarget`` encoder; ``None`` for no targets (e.g. self-supervised
            pre-training on crops).
        use_udp: ``TopdownAffine(use_udp=...)``. Must match how predictions are mapped back:
            ``UDPHeatmap`` expects a UDP crop; ``SimDRLabel``, ``SimCCLabel`` and PCT's
            coordinates a plain one (``TopdownPoseEstimator`` inverts the non-UDP affine).
        bbox_transform: arguments of ``RandomBBoxTransform`` (MMPose's defaults if ``None``).
        after_affine: training transforms between ``TopdownAffine`` and ``GenerateTarget``
            (e.g. ``PhotometricDistortion``, ``OccludeJoints``).
        half_body: whether training uses ``RandomHalfBody``.
        keypoints_only: no image is read (``SkipImage``, ``PackPoseOnlyInputs``) and validation
            encodes targets too, as PCT's tokenizer trains and validates on keypoints alone.

    Returns:
        ``(train_pipeline, val_pipeline)``, lists of transform dicts.
    """
    load = dict(type='SkipImage' if keypoints_only else 'LoadImage')
    affine = dict(type='TopdownAffine', input_size=tuple(input_size), use_udp=use_udp)
    target = [] if codec is None else [dict(type='GenerateTarget', encoder=dict(codec))]
    pack = dict(type='PackPoseOnlyInputs' if keypoints_only else 'PackPoseInputs')
    train = [
        dict(load),
        dict(type='GetBBoxCenterScale'),
        dict(type='RandomFlip', direction='horizontal'),
        *([dict(type='RandomHalfBody')] if half_body else []),
        dict(type='RandomBBoxTransform', **(bbox_transform or {})),
        dict(affine),
        *[dict(t) for t in after_affine],
        *target,
        dict(pack),
    ]
    val = [
        dict(load),
        dict(type='GetBBoxCenterScale'),
        dict(affine),
        *([dict(t) for t in target] if keypoints_only else []),
        dict(pack),
    ]
    return train, val


def topdown_loaders(input_size: Sequence[int], codec: Optional[dict],
                    **kwargs) -> Tuple[dict, dict, dict]:
    """The ``train_dataloader``, ``val_dataloader`` and ``test_dataloader`` entries that set
    :func:`topdown_pipelines`'s pipelines (same arguments) and nothing else: MMEngine merges each
    into the loader of the config's ``_base_``, which keeps its data set, batch and sampler."""
    train, val = topdown_pipelines(input_size, codec, **kwargs)
    return tuple(dict(dataset=dict(pipeline=p)) for p in (train, val, val))
