"""vitpose_ext: ViTPose and friends for MMPose 1.x.

Importing the package (``custom_imports = dict(imports=['vitpose_ext'])``) registers every module
into MMPose's registries. The only other changes it makes are the compatibility fixes of
``vitpose_ext.compat`` (safe checkpoint loading, mmpretrain with transformers >= 5, MMPose under
bf16 and NumPy 2, ...), each applied only where the installed versions need it, named in one log
line, and switched off with ``VITPOSE_EXT_NO_COMPAT=all``.
"""
from . import compat

compat.apply_fixes()  # before anything imports mmpretrain

# (importing registers their modules; converters add the key layouts backbones load directly)
from . import codecs, converters, datasets, engine, evaluation, models  # noqa: F401,E402

__version__ = '0.1.0'
