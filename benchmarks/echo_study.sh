#!/usr/bin/env bash
# Echo against the β-VAE on FashionMNIST: the ablations at β = 1, the converged
# rate-distortion sweeps, their transfer to Omniglot and the analysis recorded in
# BENCHMARKS.md ("Echo against the β-VAE"). Every training command resumes, so re-run
# after an interruption; results land in runs/study/*/results.jsonl; `record` copies them
# with their settings into results/echo_study/ and draws the figures from those files.
# The recorded run executed these as two concurrent processes per list (one thread each,
# TF_NUM_INTRAOP_THREADS=1, sharing the 2 cores), so its wall times are upper bounds.
#   benchmarks/echo_study.sh [ablations|sweeps|transfer|record|more|all]   (all: not more)
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
  # Learning rate and schedule: the paper's (3e-4 for 100 epochs, then linear to 0 at 200).
  paper paper_mlp_latent16 --betas=1 --config.latent_dim=16 --config.echo.f_scale=1.0 --parallel=2
fi
if [ "$what" = sweeps ] || [ "$what" = all ]; then
  # The curves at the main job's settings: the β = 1 ablation grown into a sweep (same
  # workdir and settings; only the grid changes), and a second seed at β = 1.
  ablation latent16 --config.latent_dim=16 --config.echo.f_scale=1.0 --betas=$BETAS
  ablation latent16 --config.latent_dim=16 --config.echo.f_scale=1.0 --betas=1 --seeds=1
  # The paper's settings (latent 32, f = tanh(a/16)): echo's low-β points (recorded; the
  # rest of this grid is in `more`).
  ablation base --betas=0.1,0.25 --methods=echo
fi
if [ "$what" = transfer ] || [ "$what" = all ]; then
  # The bundled Omniglot sweep (latent 32 by default) at latent 16.
  $PY experiments/sweep.py --config=configs/omniglot_sweep.py --workdir="$ROOT/omniglot_latent16" \
      --config.latent_dim=16
fi
if [ "$what" = record ] || [ "$what" = all ]; then
  out=results/echo_study
  mkdir -p $out
  for dir in "$ROOT"/ablation_* "$ROOT"/omniglot_latent16; do
    [ -f "$dir/results.jsonl" ] || continue
    name=$(basename "$dir"); name=${name#ablation_}; [ "$name" = base ] && name=latent32
    cp "$dir/results.jsonl" "$out/$name.jsonl"
    cp "$dir/config.json" "$out/$name.config.json"
  done
  cp "$ROOT/paper_mlp_latent16/results.jsonl" $out/paper_schedule_latent16.jsonl
  cp "$ROOT/paper_mlp_latent16/config.json" $out/paper_schedule_latent16.config.json
  $PY benchmarks/rate_distortion.py --results=$out/latent16.jsonl,$out/latent32.jsonl \
      --labels="latent 16,latent 32" --plot=$out/fashion_mnist_rd.png
  $PY benchmarks/rate_distortion.py --results=$out/omniglot_latent16.jsonl,results/omniglot_bundled_sweep.jsonl \
      --labels="Omniglot latent 16,Omniglot latent 32" --plot=$out/omniglot_rd.png
  points=""
  for p in latent32:echo latent32:vae fscale1:echo latent16:echo latent16:vae latent8:echo \
           latent8:vae terms50:echo batch500:echo batch500:vae; do
    points="$points,$ROOT/ablation_${p%%:*}/points/fashion_mnist-${p##*:}-mlp-beta1-seed0"
  done
  points=${points//ablation_latent32/ablation_base}
  $PY benchmarks/latent_usage.py --points="${points#,}" --output=$out/latent_usage.jsonl \
      --plot=$out/latent_usage.png --labels="echo f=tanh(a/16),VAE,echo f=tanh(a),echo,VAE,\
echo,VAE,echo K=50,echo B=500 K=499,VAE B=500"
fi
if [ "$what" = more ]; then
  # Not run for BENCHMARKS.md (time on 2 cores): the rest of the latent-32 grid, batch
  # size without more terms, and the paper's schedule at latent 32.
  ablation base --betas=$BETAS
  ablation base --betas=1 --seeds=1
  ablation batch500_terms100 --methods=echo --config.echo.f_scale=1.0 --config.batch_size=500 \
      --config.echo.max_terms=100
  ablation batch500_latent16 --config.latent_dim=16 --config.echo.f_scale=1.0 \
      --config.batch_size=500 --config.echo.max_terms=100
  paper paper_mlp --betas=1
fi
