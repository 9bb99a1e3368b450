#!/usr/bin/env bash
# Make a wheelhouse on a connected machine, for `tools/setup_env.sh --offline --wheelhouse DIR` on a
# machine without internet (a GPU node of a cluster, say).
#
#   bash tools/make_wheelhouse.sh DIR [--python-version X.Y] [--platform TAG]... [--with-torch]
#
#   DIR                  folder to fill (created)
#   --python-version X.Y the offline machine's Python (default: the one running this script)
#   --platform TAG       its platform tags, e.g. manylinux_2_28_x86_64 (repeatable; default: this
#                        machine's). With another Python or platform, only binary wheels are taken.
#   --with-torch         also torch and torchvision (requirements/torch.txt); leave it out when the
#                        offline machine has its own CUDA build of torch
#
# Run it with the Python of an environment made by tools/setup_env.sh (VITPOSE_VENV, default
# ./.venv): mmcv's and xtcocotools' source distributions are fetched through their setup.py,
# which imports torch, numpy and Cython. What goes in: the wheels of requirements/build.txt,
# runtime.txt and tests.txt with their dependencies, nodeps.txt without them, opencv-python, pip, and
# the sdists of requirements/compiled.txt (mmcv, xtcocotools), which setup_env.sh compiles on the
# offline machine against its torch (MAX_JOBS=all cores; add --mmcv-cpu-ops to skip CUDA kernels).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VITPOSE_VENV:-$ROOT/.venv}"
DIR=""
PYVER=""
PLATFORMS=()
WITH_TORCH=0
usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --python-version) PYVER="$2"; shift 2 ;;
        --platform) PLATFORMS+=(--platform "$2"); shift 2 ;;
        --with-torch) WITH_TORCH=1; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "make_wheelhouse.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
        *) DIR="$1"; shift ;;
    esac
done
[ -n "$DIR" ] || { usage >&2; exit 2; }
[ -x "$VENV/bin/python" ] || { echo "make_wheelhouse.sh: no environment at $VENV: run tools/setup_env.sh first" >&2; exit 2; }
mkdir -p "$DIR"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)

TARGET=()
[ -n "$PYVER" ] && TARGET+=(--python-version "$PYVER" --implementation cp)
TARGET+=("${PLATFORMS[@]}")
[ ${#TARGET[@]} -gt 0 ] && TARGET+=(--only-binary=:all:)

REQS=(-r "$ROOT/requirements/build.txt" -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt")
[ "$WITH_TORCH" = 1 ] && REQS+=(-r "$ROOT/requirements/torch.txt")
echo "[wheelhouse] wheels with their dependencies"
"${PIP[@]}" download -q -d "$DIR" "${TARGET[@]}" -c "$ROOT/requirements/constraints.txt" "${REQS[@]}" opencv-python "pip>=24"
echo "[wheelhouse] OpenMMLab packages (no dependencies)"
"${PIP[@]}" download -q -d "$DIR" "${TARGET[@]}" --no-deps -r "$ROOT/requirements/nodeps.txt"
echo "[wheelhouse] source distributions to compile on the target"
"${PIP[@]}" download -q -d "$DIR" --no-deps --no-binary :all: --no-build-isolation -r "$ROOT/requirements/compiled.txt"
echo "[wheelhouse] $(ls "$DIR" | wc -l) files, $(du -sh "$DIR" | cut -f1) in $DIR"
echo "  on the offline machine: bash tools/setup_env.sh --offline --wheelhouse $DIR [--system-site-packages] [--mmcv-cpu-ops]"
