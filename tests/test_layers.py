"""Imports inside vitpose_ext point one way, down the layers of docs/architecture.md: a part
imports only parts of lower layers (and itself), never one above or beside it."""
import ast
import glob
import os.path as osp

from helpers.common import REPO

# lowest first; the parts of one row are independent of each other
LAYERS = [
    ['registry'],
    ['utils'],
    ['compat'],
    ['codecs', 'datasets', 'evaluation', 'models.layers', 'models.losses'],
    ['models.tokenizers'],
    ['models.backbones'],
    ['models.heads'],
    ['models.pose_estimators'],
    ['models'],
    ['converters', 'engine'],
    ['deploy'],
    ['inference'],
    ['vitpose_ext'],  # the package's __init__: registers everything
]
LEVEL = {part: i for i, row in enumerate(LAYERS) for part in row}


def part_of(module):
    """'vitpose_ext.models.heads.pct_head' -> 'models.heads'; None outside the package."""
    names = module.split('.')
    if names[0] != 'vitpose_ext':
        return None
    if len(names) == 1:
        return 'vitpose_ext'
    return '.'.join(names[1:3]) if names[1] == 'models' and len(names) > 2 else names[1]


def module_of(path):
    """'<repo>/vitpose_ext/models/__init__.py' -> 'vitpose_ext.models'."""
    module = osp.relpath(path, REPO)[:-len('.py')].replace(osp.sep, '.')
    return module[:-len('.__init__')] if module.endswith('.__init__') else module


def imports(path):
    """The vitpose_ext modules that the file ``path`` imports (also inside functions)."""
    module = module_of(path)
    package = module if path.endswith('__init__.py') else module.rpartition('.')[0]
    out = []
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if not node.level:
                out.append(node.module)
                continue
            base = '.'.join(package.split('.')[:len(package.split('.')) - node.level + 1])
            if node.module:
                out.append(f'{base}.{node.module}')
            else:  # from . import x
                out += [f'{base}.{a.name}' for a in node.names]
    return out


def violations():
    found = []
    for path in glob.glob(osp.join(REPO, 'vitpose_ext/**/*.py'), recursive=True):
        source = part_of(module_of(path))
        for target in map(part_of, imports(path)):
            if target is None or target == source:
                continue
            if target not in LEVEL or source not in LEVEL or LEVEL[target] >= LEVEL[source]:
                found.append(f'{osp.relpath(path, REPO)} ({source}) imports {target}')
    return sorted(set(found))


def test_imports_point_down_the_layers():
    assert not violations(), violations()


def test_the_check_sees_an_upward_and_a_sideways_import(tmp_path, monkeypatch):
    import helpers.common
    package = tmp_path / 'vitpose_ext'
    (package / 'models' / 'layers').mkdir(parents=True)
    (package / 'engine').mkdir()
    (package / 'models' / 'layers' / 'mlp.py').write_text('from ...converters import x\n')
    (package / 'engine' / 'hook.py').write_text('from vitpose_ext.converters.common import y\n')
    monkeypatch.setattr(helpers.common, 'REPO', str(tmp_path))
    monkeypatch.setitem(globals(), 'REPO', str(tmp_path))
    assert violations() == ['vitpose_ext/engine/hook.py (engine) imports converters',
                            'vitpose_ext/models/layers/mlp.py (models.layers) imports converters']
