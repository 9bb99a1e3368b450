"""vitpose_ext: ViTPose and friends for MMPose 1.x.

Importing the package (``custom_imports = dict(imports=['vitpose_ext'])``) registers every module
into MMPose's registries and makes MMEngine's local checkpoint loading work on torch >= 2.6.
"""
from .engine import patch_local_checkpoint_loading
from . import codecs, datasets, models  # noqa: F401  (register the modules)
from . import evaluation  # noqa: F401  (register the metrics)

__version__ = '0.1.0'

patch_local_checkpoint_loading()
