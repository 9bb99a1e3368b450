#!/usr/bin/env bash
# Install the stack against the torch that is there (a CUDA build), then run the GPU self-check.
#
#   bash tools/gpu_check.sh [--wheelhouse DIR] [--python PY] [--venv DIR] [-- GPU_CHECK_ARGS...]
#
#   --wheelhouse DIR  install offline from this folder (tools/make_wheelhouse.sh makes it)
#   --python PY       the interpreter whose torch to use (default python3)
#   --venv DIR        environment to create or reuse (default ./.venv)
#   GPU_CHECK_ARGS    go to tools/gpu_check.py (e.g. --out DIR, --parts tests runs)
#
# The environment is made with tools/setup_env.sh --system-site-packages --mmcv-cpu-ops: the
# installed torch / torchvision / numpy are kept and mmcv's ops are compiled for the CPU only
# (this package and MMPose's top-down models need no CUDA op; minutes instead of tens).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SETUP_ARGS=(--system-site-packages --mmcv-cpu-ops --python python3)
while [ $# -gt 0 ]; do
    case "$1" in
        --wheelhouse) SETUP_ARGS+=(--offline --wheelhouse "$2"); shift 2 ;;
        --python) SETUP_ARGS+=(--python "$2"); shift 2 ;;
        --venv) export VITPOSE_VENV="$2"; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "gpu_check.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
bash "$ROOT/tools/setup_env.sh" "${SETUP_ARGS[@]}"
exec "${VITPOSE_VENV:-$ROOT/.venv}/bin/python" "$ROOT/tools/gpu_check.py" "$@"
