"""vitpose_ext: ViTPose and friends for MMPose 1.x.

Importing the package (``custom_imports = dict(imports=['vitpose_ext'])``) registers every module
into MMPose's registries, makes MMEngine's local checkpoint loading work on torch >= 2.6, lets
mmpretrain's backbones import where transformers >= 5 is installed (``utils.mmpretrain_compat``)
and MMPose's heads train in bf16 mixed precision (``utils.mmpose_compat``).
"""
from .utils import mmpretrain_compat

mmpretrain_compat.install()  # before anything can import mmpretrain

from .engine import patch_local_checkpoint_loading  # noqa: E402
from . import codecs, datasets, models  # noqa: F401,E402  (register the modules)
from . import evaluation  # noqa: F401,E402  (register the metrics)
from .utils import mmpose_compat  # noqa: E402

__version__ = '0.1.0'

patch_local_checkpoint_loading()
mmpose_compat.patch_to_numpy()
