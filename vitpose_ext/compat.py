"""Every change this package makes to other packages' code, in one place.

Importing ``vitpose_ext`` (what ``custom_imports`` does) registers this package's modules into
MMPose's registries. Besides that, it applies the fixes in :data:`FIXES` below, each only where
the installed versions need it (a check of the behaviour it fixes, run at import), and logs one
line naming the ones it applied. Switch them off with the environment variable
``VITPOSE_EXT_NO_COMPAT``: ``all`` (or ``1``) applies none, so MMPose, MMEngine and mmpretrain
stay exactly as installed; a comma-separated list of names leaves out those. Nothing else in the
package changes another package's code (tested: tests/test_compat.py).

The fixes, by name (README "Compatibility fixes" has the same table):

* ``safe_checkpoint_loading``: MMEngine's loader of local checkpoint files becomes
  :func:`vitpose_ext.utils.checkpoint.load_checkpoint_file` (``weights_only=True`` plus an
  allow-list of what MMEngine checkpoints hold). MMEngine 0.10.7 calls ``torch.load`` without
  ``weights_only``: on torch < 2.6 any file runs its code, on torch >= 2.6 MMEngine's own
  checkpoints fail to load (open-mmlab/mmengine#1655). A security default, so applied whatever
  the versions.
* ``mmpretrain_transformers5``: with transformers >= 5, ``import mmpretrain.models`` fails in
  its BLIP models (``TypeError: NoneType takes no arguments``), and with it MMPose's stock
  ViTPose configs. mmpretrain's own mode for a missing transformers is switched on
  (``WITH_MULTIMODAL = False`` right after ``mmpretrain.utils.dependency`` loads): the
  multimodal models become placeholders that raise when built. No upstream issue found.
* ``bf16_to_numpy``: MMPose's ``to_numpy`` fails on bfloat16 tensors (``Got unsupported
  ScalarType BFloat16``), so its heads cannot train or predict in bf16 mixed precision; such
  tensors are converted to float32 first, everything else goes to MMPose's function unchanged.
  No upstream issue found.
* ``opencv_radius``: under NumPy >= 2.4 MMPose's OpenCV visualiser fails on every keypoint
  (``int()`` of the one-element radius array that ``PoseLocalVisualizer`` passes): the radius is
  passed on as a number. Pictures of ``tools/test.py --show-dir``, the demos, the inferencer and
  ``browse_dataset.py`` depend on it. No upstream issue found.
* ``grayscale_load_image``: MMPose's ``LoadImage`` passes an image array through as it is, and
  a (H, W) array fails later in the BGR -> RGB step (``IndexError``): one-channel arrays are
  made BGR, as ``LoadImage`` reads a grayscale file. No upstream issue found.
* ``contiguous_flip``: MMCV's ``imflip`` (MMPose's ``RandomFlip``) returns NumPy's flipped view,
  with a negative stride; OpenCV copies such an array element by element before it works on it,
  so ``TopdownAffine`` took 2.8 ms instead of 0.2 ms on a flipped 640x425 COCO image (one core).
  ``imflip`` returns OpenCV's flipped copy instead: the same values, contiguous. Images of other
  types, of one channel as (H, W, 1) (OpenCV would drop the axis) or of more than 4 channels go
  to MMCV's function unchanged. No upstream issue found.
* ``fast_truncnorm``: MMPose's ``RandomBBoxTransform`` draws its shift, scale and rotation
  factors with ``scipy.stats.truncnorm.rvs``, 0.4 ms per call (one per sample) in SciPy's
  argument handling.
  The same inverse-CDF sampling, ``ndtri(ndtr(a) + u (ndtr(b) - ndtr(a)))`` on the same uniform
  draws of NumPy's global generator, gives the same float32 values in 5 us (bounds that do not
  enclose 0 go to SciPy as before). No upstream issue found.
* ``inferencer_bboxes``: ``MMPoseInferencer(...)(img, bboxes=...)`` (and the 2D inferencer)
  drop the boxes given: ``Pose2DInferencer.preprocess_single`` sets ``bboxes = []`` before it
  runs the detector, so without one every image becomes one whole-image person (no upstream
  issue found; the line is in MMPose 1.3.2 and its main branch). Given boxes (x1, y1, x2, y2
  [, score]) are used as they are, with no threshold or NMS; without boxes MMPose's code runs
  unchanged.
* ``sdpa_flops``: MMEngine's FLOP counter (MMPose's ``get_flops.py``) has no handle for
  ``F.scaled_dot_product_attention`` and counts fused attention as 0: the handle of
  :mod:`vitpose_ext.utils.flops` is added to its default tables. No upstream issue found.
"""
import importlib.abc
import importlib.metadata
import importlib.util
import os
import sys
from typing import Any, Callable, List, NamedTuple, Optional

from mmengine.logging import print_log

ENV = 'VITPOSE_EXT_NO_COMPAT'


class Fix(NamedTuple):
    name: str
    needed: Callable[[], bool]  # does the installed code behave as the fix's reason says?
    apply: Callable[[], None]  # idempotent


def _rebind(attr: str, original: Any, replacement: Any, packages: tuple) -> None:
    """Replace ``original`` by ``replacement`` in every loaded module of ``packages`` that holds
    it as ``attr``: where it is defined and where it was imported by name."""
    for name, module in list(sys.modules.items()):
        if name.split('.')[0] in packages and getattr(module, attr, None) is original:
            setattr(module, attr, replacement)


# ----------------------------------------------------------------- safe_checkpoint_loading
def _apply_safe_loading() -> None:
    from mmengine.runner.checkpoint import CheckpointLoader

    from .utils.checkpoint import load_local_checkpoint
    CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)


# ----------------------------------------------------------------- mmpretrain_transformers5
_DEPENDENCY = 'mmpretrain.utils.dependency'


def _transformers5() -> bool:
    """transformers >= 5 is installed, mmpretrain is, and its dependency module not loaded yet."""
    try:
        major = int(importlib.metadata.version('transformers').split('.')[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return (major >= 5 and _DEPENDENCY not in sys.modules
            and importlib.util.find_spec('mmpretrain') is not None)


class _NoMultimodalLoader(importlib.abc.Loader):

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        module.WITH_MULTIMODAL = False


class _NoMultimodalFinder(importlib.abc.MetaPathFinder):

    def find_spec(self, name, path, target=None):
        if name != _DEPENDENCY:
            return None
        sys.meta_path.remove(self)  # find the real module once, then step aside
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _NoMultimodalLoader(spec.loader)
        return spec


def _apply_no_multimodal() -> None:
    if not any(isinstance(f, _NoMultimodalFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoMultimodalFinder())


# ----------------------------------------------------------------- bf16_to_numpy
def _to_numpy_fails_on_bf16() -> bool:
    import torch
    from mmpose.utils import tensor_utils
    try:
        tensor_utils.to_numpy(torch.zeros(1, dtype=torch.bfloat16))
    except TypeError:
        return True
    return False


def _apply_bf16_to_numpy() -> None:
    import torch
    from mmpose.utils import tensor_utils
    original = tensor_utils.to_numpy
    if getattr(original, '_vitpose_ext', False):
        return

    def bf16(t):
        return isinstance(t, torch.Tensor) and t.dtype == torch.bfloat16

    def to_numpy(x: Any, *args, **kwargs) -> Any:
        """MMPose's ``to_numpy``, with bfloat16 tensors converted to float32 first."""
        if bf16(x):
            x = x.float()
        elif isinstance(x, (list, tuple)) and any(bf16(t) for t in x):
            x = type(x)(t.float() if bf16(t) else t for t in x)
        return original(x, *args, **kwargs)

    to_numpy._vitpose_ext = True
    _rebind('to_numpy', original, to_numpy, ('mmpose', ))


# ----------------------------------------------------------------- opencv_radius
def _draw_circles_fails_on_arrays() -> bool:
    """MMPose's OpenCV ``draw_circles`` on a one-element radius array, as the visualiser calls it
    (on a stand-in object: no visualiser instance is made)."""
    import types

    import numpy as np
    from mmpose.visualization.opencv_backend_visualizer import OpencvBackendVisualizer
    canvas = types.SimpleNamespace(backend='opencv', _image=np.zeros((3, 3, 3), np.uint8))
    try:
        OpencvBackendVisualizer.draw_circles(canvas, np.ones(2), np.ones(1), (0, 0, 255))
    except TypeError:
        return True
    return False


def _apply_opencv_radius() -> None:
    import numpy as np
    import torch
    from mmpose.visualization.opencv_backend_visualizer import OpencvBackendVisualizer
    original = OpencvBackendVisualizer.draw_circles
    if getattr(original, '_vitpose_ext', False):
        return

    def draw_circles(self, center: Any, radius: Any, *args, **kwargs) -> Any:
        """``draw_circles`` with a one-element ``radius`` made a number for the OpenCV backend
        (the matplotlib backend takes arrays as they are)."""
        if self.backend == 'opencv':
            if isinstance(radius, torch.Tensor):
                radius = radius.detach().cpu().numpy()
            if isinstance(radius, np.ndarray) and radius.size == 1:
                radius = radius.item()
        return original(self, center, radius, *args, **kwargs)

    draw_circles._vitpose_ext = True
    OpencvBackendVisualizer.draw_circles = draw_circles


# ----------------------------------------------------------------- grayscale_load_image
def _load_image_keeps_grayscale() -> bool:
    import numpy as np
    from mmpose.datasets.transforms.loading import LoadImage
    return LoadImage()(dict(img=np.zeros((2, 2), np.uint8)))['img'].ndim == 2


def _apply_grayscale_load_image() -> None:
    import cv2
    import numpy as np
    from mmpose.datasets.transforms.loading import LoadImage
    original = LoadImage.transform
    if getattr(original, '_vitpose_ext', False):
        return

    def transform(self, results: dict) -> Optional[dict]:
        """``LoadImage.transform`` with a one-channel array made BGR, as files are read."""
        img = results.get('img')
        if isinstance(img, np.ndarray) and self.color_type == 'color' and (
                img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 1)):
            results['img'] = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
        return original(self, results)

    transform._vitpose_ext = True
    LoadImage.transform = transform


# ----------------------------------------------------------------- contiguous_flip
_CV2_FLIP = {'horizontal': 1, 'vertical': 0, 'diagonal': -1}


def _imflip_returns_views() -> bool:
    import mmcv
    import numpy as np
    return not mmcv.imflip(np.zeros((2, 2, 3), np.uint8)).flags.c_contiguous


def _apply_contiguous_flip() -> None:
    import cv2
    import numpy as np
    from mmcv.image import geometric
    original = geometric.imflip
    if getattr(original, '_vitpose_ext', False):
        return

    def imflip(img: Any, direction: str = 'horizontal') -> Any:
        """MMCV's ``imflip`` as OpenCV's contiguous copy, for images OpenCV flips exactly."""
        if (isinstance(img, np.ndarray) and direction in _CV2_FLIP and img.size
                and img.dtype in (np.uint8, np.uint16, np.int16, np.float32, np.float64)
                and (img.ndim == 2 or (img.ndim == 3 and 1 < img.shape[2] <= 4))):
            return cv2.flip(img, _CV2_FLIP[direction])
        return original(img, direction)

    imflip._vitpose_ext = True
    _rebind('imflip', original, imflip, ('mmcv', 'mmpose'))


# ----------------------------------------------------------------- fast_truncnorm
def _truncnorm_through_scipy_rvs() -> bool:
    import inspect

    from mmpose.datasets.transforms.common_transforms import RandomBBoxTransform
    sampler = RandomBBoxTransform._truncnorm
    return (not getattr(sampler, '_vitpose_ext', False)
            and 'truncnorm.rvs(' in inspect.getsource(sampler))


def _apply_fast_truncnorm() -> None:
    import numpy as np
    from mmpose.datasets.transforms.common_transforms import RandomBBoxTransform
    from scipy import special
    original = RandomBBoxTransform._truncnorm
    if getattr(original, '_vitpose_ext', False):
        return

    def _truncnorm(low: float = -1., high: float = 1., size: Any = ()) -> Any:
        """SciPy's ``truncnorm.rvs`` sampling (its inverse CDF of a uniform draw from NumPy's
        global generator) without SciPy's per-call argument handling."""
        if not low < 0 < high:  # where the CDF difference below could lose precision
            return original(low, high, size)
        lo, hi = special.ndtr(low), special.ndtr(high)
        return special.ndtri(lo + np.random.uniform(size=size) * (hi - lo)).astype(np.float32)

    _truncnorm._vitpose_ext = True
    RandomBBoxTransform._truncnorm = staticmethod(_truncnorm)


# ----------------------------------------------------------------- inferencer_bboxes
def _inferencer_drops_bboxes() -> bool:
    """MMPose's top-down branch of ``preprocess_single`` starts with ``bboxes = []``."""
    import inspect

    from mmpose.apis.inferencers.pose2d_inferencer import Pose2DInferencer
    source = inspect.getsource(Pose2DInferencer.preprocess_single)
    return "if self.cfg.data_mode == 'topdown':\n            bboxes = []" in source


class _GivenBoxes:
    """A stand-in detector for MMPose's ``preprocess_single``: its 'predictions' are the given
    boxes, labelled with the first category the inferencer keeps and scored 1 where the boxes
    have no score."""

    def __init__(self, bboxes: Any, label: int) -> None:
        import numpy as np
        from mmengine.structures import InstanceData
        boxes = np.asarray(bboxes, dtype=np.float32).reshape(-1, np.shape(bboxes)[-1])
        scores = boxes[:, 4] if boxes.shape[1] > 4 else np.ones(len(boxes), np.float32)
        self.instances = InstanceData(bboxes=boxes[:, :4], scores=scores,
                                      labels=np.full(len(boxes), label))

    def __call__(self, *args, **kwargs) -> dict:
        import types
        return dict(predictions=[types.SimpleNamespace(pred_instances=self.instances)])


def _apply_inferencer_bboxes() -> None:
    from mmpose.apis.inferencers.pose2d_inferencer import Pose2DInferencer
    original = Pose2DInferencer.preprocess_single
    if getattr(original, '_vitpose_ext', False):
        return

    def preprocess_single(self, input: Any, index: int, bbox_thr: float = 0.3,
                          nms_thr: float = 0.3, bboxes: Any = ()) -> Any:
        """MMPose's ``preprocess_single``, with given boxes as the detector's output (kept
        whatever their score, no NMS)."""
        if self.cfg.data_mode != 'topdown' or len(bboxes) == 0:
            return original(self, input, index, bbox_thr, nms_thr, bboxes)
        detector, own_ids = self.detector, 'det_cat_ids' in vars(self)
        if not own_ids:  # no detector was built ('whole_image')
            self.det_cat_ids = (0, )
        self.detector = _GivenBoxes(bboxes, self.det_cat_ids[0])
        try:  # threshold below every score, NMS threshold above every IoU
            return original(self, input, index, float('-inf'), 1.1, bboxes)
        finally:
            self.detector = detector
            if not own_ids:
                del self.det_cat_ids

    preprocess_single._vitpose_ext = True
    Pose2DInferencer.preprocess_single = preprocess_single


# ----------------------------------------------------------------- sdpa_flops
def _sdpa_not_counted() -> bool:
    from mmengine.analysis import complexity_analysis

    from .utils.flops import OP
    return OP not in complexity_analysis._DEFAULT_SUPPORTED_FLOP_OPS


def _apply_sdpa_flops() -> None:
    from mmengine.analysis import complexity_analysis
    from mmengine.analysis.jit_handles import generic_activation_jit

    from .utils.flops import OP, sdpa_flop_jit
    complexity_analysis._DEFAULT_SUPPORTED_FLOP_OPS[OP] = sdpa_flop_jit
    complexity_analysis._DEFAULT_SUPPORTED_ACT_OPS[OP] = generic_activation_jit()


FIXES = [  # the mmpretrain fix first: it must come before anything imports mmpretrain
    Fix('mmpretrain_transformers5', _transformers5, _apply_no_multimodal),
    Fix('safe_checkpoint_loading', lambda: True, _apply_safe_loading),
    Fix('bf16_to_numpy', _to_numpy_fails_on_bf16, _apply_bf16_to_numpy),
    Fix('opencv_radius', _draw_circles_fails_on_arrays, _apply_opencv_radius),
    Fix('grayscale_load_image', _load_image_keeps_grayscale, _apply_grayscale_load_image),
    Fix('contiguous_flip', _imflip_returns_views, _apply_contiguous_flip),
    Fix('fast_truncnorm', _truncnorm_through_scipy_rvs, _apply_fast_truncnorm),
    Fix('inferencer_bboxes', _inferencer_drops_bboxes, _apply_inferencer_bboxes),
    Fix('sdpa_flops', _sdpa_not_counted, _apply_sdpa_flops),
]
NAMES = [f.name for f in FIXES]


def switched_off() -> List[str]:
    """The fixes ``VITPOSE_EXT_NO_COMPAT`` leaves out (``all`` / ``1``: every one)."""
    value = os.environ.get(ENV, '').strip()
    if value.lower() in ('all', '1'):
        return list(NAMES)
    names = [n.strip() for n in value.split(',') if n.strip()]
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        raise ValueError(f'{ENV}={value!r}: unknown fixes {unknown}; the names are {NAMES} (or '
                         'all)')
    return names


def apply_fixes() -> List[str]:
    """Apply the needed fixes that are not switched off, in order; log their names in one line
    (nothing is logged, and no logger made, when none is applied) and return them."""
    off = switched_off()
    applied = []
    for fix in FIXES:
        if fix.name not in off and fix.needed():
            fix.apply()
            applied.append(fix.name)
    if applied:
        print_log(f"vitpose_ext: compatibility fixes applied: {', '.join(applied)} "
                  f'(vitpose_ext/compat.py; {ENV}=all switches them off)', logger='current')
    return applied
