"""Imports point one way, down the layers of docs/architecture.md. Inside vitpose_ext a part
imports only parts of lower layers (and itself), never one above or beside it; the package
imports nothing of tools/, tests/ or projects/; tools/ nothing of tests/ or projects/; the
library's tests (tests/) use no project's code (a project's configs, as data, they may read)."""
import ast
import glob
import os.path as osp
import re
import sys

from helpers.common import REPO

# lowest first; the parts of one row are independent of each other
LAYERS = [
    ['registry', 'env', 'visualization'],  # the last two: for tools/, they import no part
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


def module_names(*folders):
    """The top-level names that the Python files under ``folders`` (relative to the repository)
    can be imported as: the folders, each file's and each package folder's name (a script folder
    on ``sys.path`` makes its files importable by their names, e.g. tools/analysis_tools/)."""
    names = set()
    for folder in folders:
        names.add(folder)
        for path in glob.glob(osp.join(REPO, folder, '**/*.py'), recursive=True):
            rel = osp.relpath(path, osp.join(REPO, folder))
            names.update(part for part in osp.dirname(rel).split(osp.sep) if part)
            names.add(osp.basename(path)[:-len('.py')])
    return names - {'__init__'}


def top_level_imports(path):
    """The top-level names of the absolute imports of ``path`` (also inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            out.update(a.name.split('.')[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            out.add(node.module.split('.')[0])
    return out


# a project's code named by its path (as importlib.util.spec_from_file_location loads it); its
# configs are data, which library tests may read
PROJECT_CODE = re.compile(r'projects/[\w-]+/(?!configs/)[\w/.-]*\.py\b')


def outside_imports():
    """(file, name) of the package's imports of tools/, tests/, projects/ modules, of the tools'
    imports of tests/, projects/ modules, and of the library tests' imports or file paths of a
    project's code."""
    found = []
    outside = module_names('tools', 'tests', 'projects') - {'vitpose_ext'}
    for path in glob.glob(osp.join(REPO, 'vitpose_ext/**/*.py'), recursive=True):
        found += [(osp.relpath(path, REPO), name) for name in top_level_imports(path) & outside]
    # `import codecs` is the standard library's, not tests/codecs/
    above_tools = (module_names('tests', 'projects') - module_names('tools')
                   - set(sys.stdlib_module_names) - {'vitpose_ext'})
    for path in glob.glob(osp.join(REPO, 'tools/**/*.py'), recursive=True):
        found += [(osp.relpath(path, REPO), n) for n in top_level_imports(path) & above_tools]
    projects = module_names('projects') - module_names('tests', 'tools')
    for path in glob.glob(osp.join(REPO, 'tests/**/*.py'), recursive=True):
        found += [(osp.relpath(path, REPO), name) for name in top_level_imports(path) & projects]
        strings = [n.value for n in ast.walk(ast.parse(open(path).read()))
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        found += [(osp.relpath(path, REPO), m) for s in strings for m in PROJECT_CODE.findall(s)]
    return sorted(set(found))


def test_the_package_and_the_library_tests_import_nothing_above_them():
    assert not outside_imports(), outside_imports()


def test_the_check_sees_imports_of_tools_tests_and_projects(tmp_path, monkeypatch):
    import helpers.common
    code = 'projects/p/tools' + '/run_study.py'  # split: this file's own strings are checked too
    for folder, text in (('vitpose_ext/utils', 'from study import x\nimport helpers.common\n'),
                         ('tools/analysis_tools', ''), ('tests/helpers', ''),
                         ('tools/deploy', 'import codecs\nfrom helpers.common import REPO\n'
                          'import run_study\n'),
                         ('projects/p/tools', ''), ('tests/models', 'import run_study\n'),
                         ('tests/codecs', ''),
                         ('tests/tools', f"PATH = '{code}'\nCONFIG = 'projects/p/configs/a.py'\n")):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / 'm.py').write_text(text)
    for path in ('tools/analysis_tools/study.py', 'tests/helpers/common.py', code):
        (tmp_path / path).write_text('')
    monkeypatch.setattr(helpers.common, 'REPO', str(tmp_path))
    monkeypatch.setitem(globals(), 'REPO', str(tmp_path))
    assert outside_imports() == [('tests/models/m.py', 'run_study'), ('tests/tools/m.py', code),
                                 ('tools/deploy/m.py', 'helpers'),
                                 ('tools/deploy/m.py', 'run_study'),
                                 ('vitpose_ext/utils/m.py', 'helpers'),
                                 ('vitpose_ext/utils/m.py', 'study')]
