"""Run as a script: what importing vitpose_ext changes in the packages it builds on.

    python import_fingerprint.py MODULES.json   # -> JSON {'changed': [...], 'new_modules': [...]}

MODULES.json lists, in import order, the modules of those packages that ``import vitpose_ext``
loads (tests/test_compat.py finds them in another process). This process imports them first,
takes a fingerprint of each (its attributes, the attributes of the classes it defines, one level
into dicts and lists: by name and type; a function also by its code and defaults objects; each
registry's names by the object each names), imports vitpose_ext, and reports which fingerprint
entries differ, also of ``sys.meta_path``, the warning filters, the root logger and torch's
global settings. Registering new names is what an import may do: a name new in a registry is no
change, an existing name that now names another object is. The environment decides which fixes
vitpose_ext applies (``VITPOSE_EXT_NO_COMPAT``).
"""
import importlib
import json
import logging
import sys
import types
import warnings

PACKAGES = ('mmengine', 'mmpose', 'mmpretrain', 'mmcv', 'mmdet', 'torch')
REGISTRY = 'registry '  # the start of a registry entry's key
_kept = []  # every object named by its address stays alive, so no new one can take that address


def address(value):
    _kept.append(value)
    return hex(id(value))


def name_of(value):
    kind = type(value)  # not isinstance(): some objects warn when their __class__ is read
    if issubclass(kind, types.FunctionType):
        return (f'{value.__module__}.{value.__qualname__} code {address(value.__code__)} '
                f'defaults {address(value.__defaults__)} {address(value.__kwdefaults__)}')
    if issubclass(kind, (types.BuiltinFunctionType, type)):
        return f'{value.__module__}.{value.__qualname__}'
    if issubclass(kind, (classmethod, staticmethod)):
        return f'{kind.__name__}({name_of(value.__func__)})'
    if issubclass(kind, (str, int, float, bool, type(None))):
        return repr(value)
    return kind.__qualname__


def shallow(value):
    if issubclass(type(value), dict):
        return {str(k): name_of(v) for k, v in value.items()}
    if issubclass(type(value), (list, tuple)):
        return [name_of(v) for v in value]
    return name_of(value)


def process_state():
    """What a package could change for the whole process, outside its modules."""
    import torch
    return {
        'warnings.filters': repr(warnings.filters),
        'logging.root.level': logging.root.level,
        'logging.root.handlers': [address(h) for h in logging.root.handlers],
        'torch.get_default_dtype()': repr(torch.get_default_dtype()),
        'torch.backends.cudnn.benchmark': torch.backends.cudnn.benchmark,
        'torch.backends.cudnn.deterministic': torch.backends.cudnn.deterministic,
        'torch.backends.cudnn.allow_tf32': torch.backends.cudnn.allow_tf32,
        'torch.backends.cuda.matmul.allow_tf32': torch.backends.cuda.matmul.allow_tf32,
        'torch.get_float32_matmul_precision()': torch.get_float32_matmul_precision(),
        'torch.are_deterministic_algorithms_enabled()':
        torch.are_deterministic_algorithms_enabled(),
    }


def fingerprint(modules):
    from mmengine.registry import Registry
    out = {'sys.meta_path': shallow(sys.meta_path), **process_state()}
    for module_name in modules:
        module = sys.modules[module_name]
        for attr, value in list(vars(module).items()):
            out[f'{module_name}.{attr}'] = shallow(value)
            if issubclass(type(value), Registry):
                for key, registered in list(value.module_dict.items()):
                    out[f'{REGISTRY}{value.scope}.{value.name} {key}'] = address(registered)
            if issubclass(type(value), type) and value.__module__ == module_name:
                for key, member in list(vars(value).items()):
                    out[f'{module_name}.{attr}.{key}'] = shallow(member)
    return out


def of_packages(modules):
    return [m for m in modules if m.split('.')[0] in PACKAGES]


def changes(before, after):
    """The keys whose entries differ, but for names registered since ``before``."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)
                  and not (k.startswith(REGISTRY) and k not in before))


def main():
    modules = of_packages(json.load(open(sys.argv[1])))
    for name in modules:
        importlib.import_module(name)
    before = fingerprint(modules)
    import vitpose_ext  # noqa: F401
    after = fingerprint(modules)
    new = [m for m in of_packages(sys.modules) if m not in set(modules)]
    print(json.dumps(dict(changed=changes(before, after), new_modules=new)))


if __name__ == '__main__':
    main()
