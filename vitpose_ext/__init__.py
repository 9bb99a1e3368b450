"""vitpose_ext: ViTPose and friends for MMPose 1.x.

Importing the package (``custom_imports = dict(imports=['vitpose_ext'])``) registers every module
into MMPose's registries, makes MMEngine load local checkpoints safely on torch >= 2.6
(``utils.checkpoint``: no code from the file runs unless the file is trusted), lets
mmpretrain's backbones import where transformers >= 5 is installed (``utils.mmpretrain_compat``),
MMPose's heads train in bf16 mixed precision, its visualiser draw under NumPy 2 and its
inference take grayscale arrays
(``utils.mmpose_compat``), makes MMEngine's FLOP counter count fused attention
(``utils.flops``) and checks COCO-style annotation files with errors that name the culprit
(``datasets.checks``).
"""
from .utils import mmpretrain_compat

mmpretrain_compat.install()  # before anything can import mmpretrain

from . import codecs, datasets, engine, models  # noqa: F401,E402  (register the modules)
from . import evaluation  # noqa: F401,E402  (register the metrics)
from .datasets import checks  # noqa: E402
from .utils import checkpoint, flops, mmpose_compat  # noqa: E402

__version__ = '0.1.0'

checkpoint.use_safe_local_loading()
mmpose_compat.patch_to_numpy()
mmpose_compat.patch_opencv_visualizer()
mmpose_compat.patch_load_image()
flops.register_sdpa_flops()
checks.install()
