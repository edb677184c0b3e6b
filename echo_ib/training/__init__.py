"""Training: resumable β-sweeps, results files, information-plane callbacks."""

from echo_ib.training import results, sweep

__all__ = ["results", "sweep"]
