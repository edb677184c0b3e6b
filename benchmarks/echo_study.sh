#!/usr/bin/env bash
# Echo against the β-VAE on FashionMNIST: the ablations at β = 1 and the converged
# rate-distortion sweeps recorded in BENCHMARKS.md ("Echo against the β-VAE"). Every command
# resumes, so re-run this script after an interruption; results land in
# runs/study/*/results.jsonl and are copied to results/ when recorded. The recorded run
# executed the `sweeps` and `more` lists as two concurrent chains, the second with
# TF_NUM_INTRAOP_THREADS=1 (the 2 cores shared), in the order listed.
#   benchmarks/echo_study.sh [ablations|sweeps|more|all]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ROOT=${STUDY_ROOT:-runs/study}
what=${1:-all}
BETAS=0.1,0.25,0.5,1,2,4

ablation() {  # ablation NAME [flags...]: configs/echo_ablation.py at β = 1 unless flags say
  local name=$1; shift
  echo "=== ablation $name: $*"
  $PY experiments/sweep.py --config=configs/echo_ablation.py --workdir="$ROOT/ablation_$name" "$@"
}

paper() {  # paper NAME [flags...]: the paper's schedule (configs/paper/fashion_mnist_mlp.py)
  local name=$1; shift
  echo "=== paper protocol $name: $*"
  $PY experiments/sweep.py --config=configs/paper/fashion_mnist_mlp.py --workdir="$ROOT/$name" "$@"
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
if [ "$what" = sweeps ] || [ "$what" = all ]; then
  # The rate-distortion curves at the main job's settings: the β = 1 ablation grown into
  # a sweep (same workdir and settings; only the grid changes), and a second seed at β = 1.
  ablation latent16 --config.latent_dim=16 --config.echo.f_scale=1.0 --betas=$BETAS
  ablation latent16 --config.latent_dim=16 --config.echo.f_scale=1.0 --betas=1 --seeds=1
fi
if [ "$what" = more ] || [ "$what" = all ]; then
  ablation base --betas=$BETAS                                         # the paper's settings
  ablation base --betas=1 --seeds=1
  # Batch size without more terms: echo at batch 500 with K = 100 (clip 0.837).
  ablation batch500_terms100 --methods=echo --config.echo.f_scale=1.0 --config.batch_size=500 \
      --config.echo.max_terms=100
  ablation batch500_latent16 --config.latent_dim=16 --config.echo.f_scale=1.0 \
      --config.batch_size=500 --config.echo.max_terms=100
  # The paper's learning rate and schedule (3e-4 for 100 epochs, then linear to 0 at 200).
  paper paper_mlp_latent16 --betas=1 --config.latent_dim=16 --config.echo.f_scale=1.0
  ablation latent8 --config.latent_dim=8 --config.echo.f_scale=1.0 --methods=vae --betas=$BETAS
  paper paper_mlp --betas=1
fi
