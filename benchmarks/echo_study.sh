#!/usr/bin/env bash
# Echo against the β-VAE on FashionMNIST: the ablations at β = 1 and the converged sweeps
# recorded in BENCHMARKS.md ("Echo against the β-VAE"). Every command resumes, so re-run
# this script after an interruption; results land in runs/study/*/results.jsonl.
#   benchmarks/echo_study.sh [ablations|paper|all]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ROOT=${STUDY_ROOT:-runs/study}
what=${1:-all}

ablation() {  # ablation NAME [flags...]
  local name=$1; shift
  echo "=== ablation $name: $*"
  $PY experiments/sweep.py --config=configs/echo_ablation.py --workdir="$ROOT/ablation_$name" "$@"
}

if [ "$what" = ablations ] || [ "$what" = all ]; then
  ablation base                                                        # latent 32, f = tanh(a/16)
  ablation fscale1       --methods=echo --config.echo.f_scale=1.0
  ablation latent16      --config.latent_dim=16 --config.echo.f_scale=1.0
  ablation latent8       --config.latent_dim=8 --config.echo.f_scale=1.0
  ablation sinit3        --methods=echo --config.echo.f_scale=1.0 --config.scale_bias_init=3.0
  ablation terms50       --methods=echo --config.echo.f_scale=1.0 --config.echo.max_terms=50
  ablation batch500      --config.echo.f_scale=1.0 --config.batch_size=500 --config.echo.max_terms=499
fi
if [ "$what" = paper ] || [ "$what" = all ]; then
  echo "=== paper protocol, mlp"
  $PY experiments/sweep.py --config=configs/paper/fashion_mnist_mlp.py --workdir="$ROOT/paper_mlp"
  $PY experiments/sweep.py --config=configs/paper/fashion_mnist_mlp.py --workdir="$ROOT/paper_mlp" \
      --betas=1 --seeds=1
fi
