"""Run as a script: what importing vitpose_ext changes in the packages it builds on.

    python import_fingerprint.py MODULES.json   # -> JSON {'changed': [...], 'new_modules': [...]}

MODULES.json lists, in import order, the modules of those packages that ``import vitpose_ext``
loads (tests/test_compat.py finds them in another process). This process imports them first,
takes a fingerprint of each (its attributes, the attributes of the classes it defines, one level
into dicts and lists: by name and type, never by address), imports vitpose_ext, and reports
which fingerprint entries differ, also of ``sys.meta_path``. The environment decides which fixes
vitpose_ext applies (``VITPOSE_EXT_NO_COMPAT``).
"""
import importlib
import json
import sys
import types

PACKAGES = ('mmengine', 'mmpose', 'mmpretrain', 'mmcv', 'mmdet')


def name_of(value):
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        return f'{value.__module__}.{value.__qualname__}'
    if isinstance(value, (classmethod, staticmethod)):
        return f'{type(value).__name__}({name_of(value.__func__)})'
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    return type(value).__qualname__


def shallow(value):
    if isinstance(value, dict) and type(value).__name__ != 'Registry':
        return {str(k): name_of(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [name_of(v) for v in value]
    return name_of(value)


def fingerprint(modules):
    out = {'sys.meta_path': shallow(sys.meta_path)}
    for module_name in modules:
        module = sys.modules[module_name]
        for attr, value in list(vars(module).items()):
            out[f'{module_name}.{attr}'] = shallow(value)
            if isinstance(value, type) and value.__module__ == module_name:
                for key, member in list(vars(value).items()):
                    out[f'{module_name}.{attr}.{key}'] = shallow(member)
    return out


def main():
    modules = [m for m in json.load(open(sys.argv[1])) if m.split('.')[0] in PACKAGES]
    for name in modules:
        importlib.import_module(name)
    before = fingerprint(modules)
    import vitpose_ext  # noqa: F401
    after = fingerprint(modules)
    new = [m for m in sys.modules if m.split('.')[0] in PACKAGES and m not in set(modules)]
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    print(json.dumps(dict(changed=changed, new_modules=new)))


if __name__ == '__main__':
    main()
