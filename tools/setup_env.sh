#!/usr/bin/env bash
# One-command environment for vitpose_ext: the pinned OpenMMLab stack (mmcv built WITH its ops)
# and this package in editable mode, in a virtual environment.
#
#   bash tools/setup_env.sh [--venv DIR] [--wheelhouse DIR] [--python PY] [--system-site-packages]
#
#   --venv DIR              environment to create or update   (env VITPOSE_VENV, default ./.venv)
#   --wheelhouse DIR        folder of prebuilt wheels, e.g. mmcv / xtcocotools built for this
#                           machine; used before compiling   (env VITPOSE_WHEELHOUSE)
#   --python PY             interpreter to create the venv with (env VITPOSE_PYTHON, default python3.11)
#   --system-site-packages  let the venv see the interpreter's packages, so that a torch that is
#                           already installed there (e.g. a CUDA build) is used as it is
#
# Other environment variables:
#   VITPOSE_CACHE            where built wheels are cached (default ~/.cache/vitpose_ext)
#   VITPOSE_TORCH_PIP_ARGS   extra pip arguments for the torch step (default --isolated, so that a
#                            pip find-links folder holding a CPU-only torch does not shadow the
#                            pinned build; e.g. "--index-url URL" for a given CUDA build)
#
# Idempotent: a second run only checks what is there. mmcv and xtcocotools are built from source
# once per torch version and the wheels are cached, so the next setup does not compile again.
set -Eeuo pipefail  # -E: the ERR trap also fires inside functions

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VITPOSE_VENV:-$ROOT/.venv}"
WHEELHOUSE="${VITPOSE_WHEELHOUSE:-}"
PYTHON_BIN="${VITPOSE_PYTHON:-}"
SYSTEM_SITE=0
CACHE="${VITPOSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vitpose_ext}"
TORCH_PIP_ARGS="${VITPOSE_TORCH_PIP_ARGS---isolated}"

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --venv) VENV="$2"; shift 2 ;;
        --wheelhouse) WHEELHOUSE="$2"; shift 2 ;;
        --python) PYTHON_BIN="$2"; shift 2 ;;
        --system-site-packages) SYSTEM_SITE=1; shift ;;
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
    run "$PYTHON_BIN" -m venv "${VENV_ARGS[@]}" "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check --no-input)
run "${PIP[@]}" install -q --upgrade "pip>=24"

step "build tools and numpy (requirements/build.txt)" "the package index must be reachable; see the log"
run "${PIP[@]}" install -q "${FIND_LINKS[@]}" -r "$ROOT/requirements/build.txt"

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
    step "torchvision for torch $TORCH_VERSION" "install the torchvision that matches your torch $TORCH_VERSION, then rerun"
    case "$TORCH_VERSION" in
        2.13.*) TV=0.28.0 ;; 2.12.*) TV=0.27.0 ;; 2.11.*) TV=0.26.0 ;; 2.10.*) TV=0.25.0 ;;
        2.9.*) TV=0.24.0 ;; 2.8.*) TV=0.23.0 ;; 2.7.*) TV=0.22.0 ;; 2.6.*) TV=0.21.0 ;;
        *) false ;;
    esac
    # shellcheck disable=SC2086
    run "${PIP[@]}" install -q --no-deps $TORCH_PIP_ARGS "${FIND_LINKS[@]}" "torchvision==$TV"
    run "$PY" -c 'import torchvision'
fi
# Everything after this point must leave torch as it is.
CONSTRAINTS="$VENV/vitpose-constraints.txt"
"$PY" -c 'import torch, torchvision; print(f"torch=={torch.__version__}\ntorchvision=={torchvision.__version__}")' >"$CONSTRAINTS"

step "OpenMMLab runtime requirements (requirements/runtime.txt)" "the package index must be reachable; see the log"
run "${PIP[@]}" install -q "${FIND_LINKS[@]}" -c "$CONSTRAINTS" -r "$ROOT/requirements/build.txt" -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt"

# ---------------------------------------------------------------------------------------------
# install_compiled NAME VERSION CHECK: use an installed, wheelhouse or cached wheel that passes
# CHECK (python code); else build the wheel from source against the installed torch / numpy
# (--no-build-isolation) into the cache, then install it.
install_compiled() {
    local name="$1" version="$2" check="$3" cache_dir wheel
    cache_dir="$CACHE/wheels/torch-$TORCH_VERSION"
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
    echo "  building $name $version from source, once per torch version (mmcv's ops: ~20-30 min on 2 cores)"
    mkdir -p "$cache_dir"
    run env MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" "${PIP[@]}" wheel --no-build-isolation --no-deps \
        --no-binary "$name" -w "$cache_dir" "$name==$version"
    run "${PIP[@]}" install -q --no-deps --force-reinstall "$cache_dir"/"$name"-"$version"-*.whl
    run "$PY" -c "$check"
    echo "  built and cached $name in $cache_dir"
}

step "xtcocotools 1.14.3 (built against NumPy 2)" "needs gcc and Python headers (apt-get install build-essential python3-dev), or a working wheel in --wheelhouse"
install_compiled xtcocotools 1.14.3 'from xtcocotools.coco import COCO; from xtcocotools.cocoeval import COCOeval; import xtcocotools._mask'

step "mmcv 2.1.0 with compiled ops" "needs g++ and Python headers (apt-get install build-essential python3-dev), or an mmcv wheel built for torch $TORCH_VERSION in --wheelhouse"
install_compiled mmcv 2.1.0 'import mmcv; assert mmcv.__version__ == "2.1.0", mmcv.__version__; import mmcv._ext; from mmcv.ops import nms'

step "mmpose and openmim without their broken requirements (requirements/nodeps.txt)" "the package index must be reachable; see the log"
run "${PIP[@]}" install -q --no-deps "${FIND_LINKS[@]}" -r "$ROOT/requirements/nodeps.txt"

step "vitpose_ext (editable)" "see the log; 'pip install -e .' failed"
run "${PIP[@]}" install -q --no-deps --no-build-isolation -e "$ROOT"

step "environment check (python -m vitpose_ext.env)" "the report above says which part is unusable and what to do"
"$PY" -m vitpose_ext.env --check 2>>"$LOG"

trap - ERR
echo "[setup $((SECONDS - START))s] done: activate with 'source $VENV/bin/activate' (log: $LOG)"
