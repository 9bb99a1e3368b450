#!/usr/bin/env bash
# One-command environment for vitpose_ext: the pinned OpenMMLab stack (mmcv built WITH its ops)
# and this package in editable mode, in a virtual environment.
#
#   bash tools/setup_env.sh [--venv DIR] [--wheelhouse DIR] [--offline] [--python PY]
#                           [--system-site-packages] [--mmcv-cpu-ops]
#
#   --venv DIR              environment to create or update   (env VITPOSE_VENV, default ./.venv)
#   --wheelhouse DIR        folder of wheels / sdists (tools/make_wheelhouse.sh makes one), used
#                           before the package index          (env VITPOSE_WHEELHOUSE)
#   --offline               install from the wheelhouse only (no package index), e.g. on a GPU
#                           node without internet; mmcv and xtcocotools compile from its sdists
#   --python PY             interpreter to create the venv with (env VITPOSE_PYTHON, default python3.11)
#   --system-site-packages  let the venv see the interpreter's packages, so that a torch that is
#                           already installed there (e.g. a CUDA build) is used as it is; torch,
#                           torchvision and numpy that import are kept (never replaced), also
#                           when PY is itself inside a virtual environment
#   --mmcv-cpu-ops          compile mmcv's ops for the CPU only, also where CUDA is available
#                           (minutes instead of tens of minutes; MMPose's top-down models and
#                           this package need no CUDA op)   (env VITPOSE_MMCV_CPU_OPS=1)
#
# Other environment variables:
#   VITPOSE_CACHE            where built wheels are cached (default ~/.cache/vitpose_ext)
#   VITPOSE_TORCH_PIP_ARGS   extra pip arguments for the torch step (default --isolated, so that a
#                            pip find-links folder holding a CPU-only torch does not shadow the
#                            pinned build; e.g. "--index-url URL" for a given CUDA build)
#   MAX_JOBS                 parallel compile jobs for mmcv (default: all cores, whatever
#                            OMP_NUM_THREADS says)
#
# Idempotent: a second run only checks what is there. mmcv and xtcocotools are built from source
# once per torch version and the wheels are cached, so the next setup does not compile again.
set -Eeuo pipefail  # -E: the ERR trap also fires inside functions

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VITPOSE_VENV:-$ROOT/.venv}"
WHEELHOUSE="${VITPOSE_WHEELHOUSE:-}"
PYTHON_BIN="${VITPOSE_PYTHON:-}"
SYSTEM_SITE=0
OFFLINE=0
MMCV_CPU_OPS="${VITPOSE_MMCV_CPU_OPS:-0}"
CACHE="${VITPOSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vitpose_ext}"
TORCH_PIP_ARGS="${VITPOSE_TORCH_PIP_ARGS---isolated}"

usage() { sed -n '2,31p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --venv) VENV="$2"; shift 2 ;;
        --wheelhouse) WHEELHOUSE="$2"; shift 2 ;;
        --python) PYTHON_BIN="$2"; shift 2 ;;
        --system-site-packages) SYSTEM_SITE=1; shift ;;
        --offline) OFFLINE=1; shift ;;
        --mmcv-cpu-ops) MMCV_CPU_OPS=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "setup_env.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

mkdir -p "$CACHE/logs"
LOG="$CACHE/logs/setup-$(date +%Y%m%d-%H%M%S).log"
STEP="start"
HINT=""
START=$SECONDS

# Every step says what it does; on failure, one line says which step failed and what to do.
step() { STEP="$1"; HINT="$2"; echo "[setup $((SECONDS - START))s] $STEP"; }
on_error() {
    local rc=$?
    echo "----- last lines of $LOG -----" >&2
    tail -n 25 "$LOG" >&2 || true
    echo "setup_env.sh: FAILED at '$STEP' (exit $rc): $HINT  [full log: $LOG]" >&2
    exit "$rc"
}
trap on_error ERR
run() { "$@" >>"$LOG" 2>&1; }

if [ -n "$WHEELHOUSE" ]; then
    [ -d "$WHEELHOUSE" ] || { echo "setup_env.sh: wheelhouse '$WHEELHOUSE' is not a folder" >&2; exit 2; }
    WHEELHOUSE="$(cd "$WHEELHOUSE" && pwd)"
    FIND_LINKS=(--find-links "$WHEELHOUSE")
else
    FIND_LINKS=()
fi
if [ "$OFFLINE" = 1 ]; then
    [ -n "$WHEELHOUSE" ] || { echo "setup_env.sh: --offline needs --wheelhouse DIR (tools/make_wheelhouse.sh makes one)" >&2; exit 2; }
    export PIP_NO_INDEX=1 PIP_FIND_LINKS="$WHEELHOUSE"  # also for pip calls made by builds
fi

# ---------------------------------------------------------------------------------------------
step "python interpreter" "install Python >= 3.11 (with venv and headers) or pass --python PATH"
if [ -z "$PYTHON_BIN" ]; then
    PYTHON_BIN="$(command -v python3.11 || command -v python3)"
fi
run "$PYTHON_BIN" -c 'import sys, venv; assert sys.version_info >= (3, 11), sys.version'

step "virtual environment at $VENV" "check that '$VENV' is writable, or pass --venv DIR"
if [ ! -x "$VENV/bin/python" ]; then
    VENV_ARGS=()
    [ "$SYSTEM_SITE" = 1 ] && VENV_ARGS+=(--system-site-packages)
    # without ensurepip (e.g. Debian's python3 lacking python3-venv) the venv gets no pip of its
    # own; with --system-site-packages it then uses the interpreter's pip
    run "$PYTHON_BIN" -m venv "${VENV_ARGS[@]}" "$VENV" \
        || run "$PYTHON_BIN" -m venv --without-pip "${VENV_ARGS[@]}" "$VENV"
    if [ "$SYSTEM_SITE" = 1 ]; then
        # A venv made from an interpreter that is itself in a venv (or conda env) sees the base
        # interpreter's packages, not that environment's: add the latter's site-packages after
        # the new venv's own, so its torch is used and what is installed here still wins.
        PARENT_SITE="$("$PYTHON_BIN" -c 'import site, sys; print("\n".join(site.getsitepackages()) if sys.prefix != sys.base_prefix else "")')"
        if [ -n "$PARENT_SITE" ]; then
            VENV_SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
            echo "$PARENT_SITE" >"$VENV_SITE/_vitpose_parent_env.pth"
        fi
    fi
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check --no-input)
if [ "$OFFLINE" = 1 ]; then
    run "${PIP[@]}" install -q "${FIND_LINKS[@]}" "pip>=24"
else
    run "${PIP[@]}" install -q --upgrade "pip>=24"
fi

# Constraints for every pip step: the measured pins for a new environment; with
# --system-site-packages, the numpy that is installed is kept instead (torch and torchvision are
# added below, once they are there).
CONSTRAINTS="$VENV/vitpose-constraints.txt"
if [ "$SYSTEM_SITE" = 1 ] && NUMPY_VERSION="$("$PY" -c 'import numpy; print(numpy.__version__)' 2>/dev/null)"; then
    echo "numpy==$NUMPY_VERSION" >"$CONSTRAINTS"
else
    grep -v '^#' "$ROOT/requirements/constraints.txt" >"$CONSTRAINTS"
fi

step "build tools and numpy (requirements/build.txt)" "the package index (or, with --offline, the wheelhouse) must hold them; see the log"
run "${PIP[@]}" install -q "${FIND_LINKS[@]}" -c "$CONSTRAINTS" -r "$ROOT/requirements/build.txt"

# ---------------------------------------------------------------------------------------------
step "torch" "install torch yourself (any CUDA build) and rerun with --system-site-packages, or set VITPOSE_TORCH_PIP_ARGS"
if run "$PY" -c 'import torch'; then
    echo "  keeping installed torch $("$PY" -c 'import torch; print(torch.__version__)')"
else
    # shellcheck disable=SC2086
    run "${PIP[@]}" install -q $TORCH_PIP_ARGS "${FIND_LINKS[@]}" -r "$ROOT/requirements/torch.txt"
fi
TORCH_VERSION="$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')"
if ! run "$PY" -c 'import torchvision'; then
    step "torchvision for torch $TORCH_VERSION" "install the torchvision that matches your torch $TORCH_VERSION (2.6-2.14 are known here; torch 2.15 had no torchvision release on 2026-11-26), then rerun"
    case "$TORCH_VERSION" in
        2.14.*) TV=0.29.0 ;; 2.13.*) TV=0.28.0 ;; 2.12.*) TV=0.27.0 ;; 2.11.*) TV=0.26.0 ;; 2.10.*) TV=0.25.0 ;;
        2.9.*) TV=0.24.0 ;; 2.8.*) TV=0.23.0 ;; 2.7.*) TV=0.22.0 ;; 2.6.*) TV=0.21.0 ;;
        *) false ;;
    esac
    # shellcheck disable=SC2086
    run "${PIP[@]}" install -q --no-deps $TORCH_PIP_ARGS "${FIND_LINKS[@]}" "torchvision==$TV"
    run "$PY" -c 'import torchvision'
fi
# Everything after this point must leave torch as it is.
"$PY" -c 'import torch, torchvision; print(f"torch=={torch.__version__}\ntorchvision=={torchvision.__version__}")' >>"$CONSTRAINTS"

step "OpenMMLab runtime requirements (requirements/runtime.txt)" "the package index (or, with --offline, the wheelhouse) must hold them; see the log"
run "${PIP[@]}" install -q "${FIND_LINKS[@]}" -c "$CONSTRAINTS" -r "$ROOT/requirements/build.txt" -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt"
if ! run "$PY" -c 'import cv2'; then
    step "OpenCV (opencv-python; an installed OpenCV build is kept)" "install any OpenCV build for Python (opencv-python, -headless, -contrib), then rerun"
    run "${PIP[@]}" install -q "${FIND_LINKS[@]}" -c "$CONSTRAINTS" opencv-python
fi

# ---------------------------------------------------------------------------------------------
# install_compiled NAME VERSION CHECK: use an installed, wheelhouse or cached wheel that passes
# CHECK (python code); else build the wheel from its sdist against the installed torch / numpy
# (--no-build-isolation) into the cache, then install it.
MMCV_FLAVOUR=ops
[ "$MMCV_CPU_OPS" = 1 ] && MMCV_FLAVOUR=cpu-ops
install_compiled() {
    local name="$1" version="$2" check="$3" cache_dir wheel src
    cache_dir="$CACHE/wheels/torch-$TORCH_VERSION-$MMCV_FLAVOUR"
    if run "$PY" -c "$check"; then
        echo "  $name $version already works"
        return 0
    fi
    for wheel in "${WHEELHOUSE:-/nonexistent}"/"$name"-"$version"-*.whl "$cache_dir"/"$name"-"$version"-*.whl; do
        [ -f "$wheel" ] || continue
        run "${PIP[@]}" install -q --no-deps --force-reinstall "$wheel"
        if run "$PY" -c "$check"; then
            echo "  installed $(basename "$wheel") from $(dirname "$wheel")"
            return 0
        fi
        echo "  $wheel does not work here (built for another torch/numpy?); building from source"
    done
    echo "  building $name $version from source, once per torch version (mmcv's ops: ~20-30 min on 2 cores, ~3 min on 16)"
    mkdir -p "$cache_dir"
    src="$(mktemp -d)"
    run "${PIP[@]}" download -q --no-deps --no-binary "$name" --no-build-isolation "${FIND_LINKS[@]}" -d "$src" "$name==$version"
    tar -xzf "$src/$name-$version.tar.gz" -C "$src"
    # all cores: GNU nproc would honour OMP_NUM_THREADS / OMP_THREAD_LIMIT (a job script that sets
    # OMP_NUM_THREADS=1 then compiles mmcv on one core)
    local build_env=(MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)}")
    if [ "$name" = mmcv ]; then
        # torch >= 2.14's headers need C++20; mmcv 2.1.0's setup.py hard-codes -std=c++17
        if "$PY" -c 'import sys, torch; v = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]); sys.exit(v < (2, 14))'; then
            echo "  torch $TORCH_VERSION: compiling mmcv with -std=c++20"
            sed -i 's/-std=c++17/-std=c++20/g' "$src/$name-$version/setup.py"
        fi
        # CUDA hidden from the build: mmcv then compiles its CPU ops only
        [ "$MMCV_CPU_OPS" = 1 ] && build_env+=(CUDA_VISIBLE_DEVICES= FORCE_CUDA=0)
    fi
    run env "${build_env[@]}" "${PIP[@]}" wheel --no-build-isolation --no-deps -w "$cache_dir" "$src/$name-$version"
    rm -rf "$src"
    run "${PIP[@]}" install -q --no-deps --force-reinstall "$cache_dir"/"$name"-"$version"-*.whl
    run "$PY" -c "$check"
    echo "  built and cached $name in $cache_dir"
}

step "OpenMMLab packages without their declared requirements (requirements/nodeps.txt)" "the package index (or, with --offline, the wheelhouse) must hold them; see the log"
run "${PIP[@]}" install -q --no-deps "${FIND_LINKS[@]}" -r "$ROOT/requirements/nodeps.txt"

step "xtcocotools 1.14.3 (built against NumPy 2)" "needs gcc and Python headers (apt-get install build-essential python3-dev), or a working wheel in --wheelhouse"
install_compiled xtcocotools 1.14.3 'from xtcocotools.coco import COCO; from xtcocotools.cocoeval import COCOeval; import xtcocotools._mask'

step "mmcv 2.1.0 with compiled ops" "needs g++ and Python headers (apt-get install build-essential python3-dev), or an mmcv wheel built for torch $TORCH_VERSION in --wheelhouse"
install_compiled mmcv 2.1.0 'import mmcv; assert mmcv.__version__ == "2.1.0", mmcv.__version__; import mmcv._ext; from mmcv.ops import nms'

step "vitpose_ext (editable)" "see the log; 'pip install -e .' failed"
run "${PIP[@]}" install -q --no-deps --no-build-isolation -e "$ROOT"
# mim (`mim search / train / test vitpose_ext ...`) looks for the package's files under
# site-packages/vitpose_ext, which an editable install does not create: link the source there
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
[ -e "$SITE/vitpose_ext" ] || ln -s "$ROOT/vitpose_ext" "$SITE/vitpose_ext"

step "environment check (python -m vitpose_ext.env)" "the report above says which part is unusable and what to do"
"$PY" -m vitpose_ext.env --check 2>>"$LOG"

trap - ERR
echo "[setup $((SECONDS - START))s] done: activate with 'source $VENV/bin/activate' (log: $LOG)"
