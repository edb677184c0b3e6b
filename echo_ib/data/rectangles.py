"""Images of rectangles with a known mutual information (Butakov et al., ICLR 2024, §5).

Pairs (ξ, η) of 4-dimensional latents are jointly Gaussian, standard marginals, with
correlation ρ between ξ_j and η_j for each j (and none across), so

```none
I(ξ; η) = −(4/2) log(1 − ρ²)      nats.
```

Each latent is mapped to an image: u = Φ(ξ) ∈ (0, 1)^4 (the normal CDF, a smooth
bijection) sets a rectangle's centre (0.3 + 0.4 u₁, 0.3 + 0.4 u₂)·S and size
((0.15 + 0.35 u₃)·S, (0.15 + 0.35 u₄)·S) in an S × S image, and each pixel is the area of
its overlap with the rectangle (anti-aliased, so sub-pixel positions show and the map from
u to the image is injective). X = image(ξ), Y = image(η): injective maps preserve MI, so
I(X; Y) = I(ξ; η) exactly.
"""

import math

import numpy as np
import scipy.special

__all__ = ["correlation_for", "rectangle_images", "rectangle_pairs"]

LATENT_DIM = 4


def correlation_for(mutual_information, dim=LATENT_DIM):
    """ρ with −(dim/2) log(1 − ρ²) = mutual_information (nats)."""
    if not mutual_information >= 0:
        raise ValueError(f"mutual_information must be >= 0, got {mutual_information!r}.")
    return math.sqrt(-math.expm1(-2.0 * mutual_information / dim))


def _coverage(low, high, size):
    """[n, size] overlap of the unit cells [i, i + 1) with the intervals [low, high)."""
    cells = np.arange(size)[None, :]
    return np.clip(np.minimum(cells + 1, high[:, None]) - np.maximum(cells, low[:, None]), 0, 1)


def rectangle_images(latents, size):
    """Images [n, size, size] float32 in [0, 1] of latents [n, 4] (module docstring)."""
    latents = np.asarray(latents, np.float64)
    if latents.ndim != 2 or latents.shape[1] != LATENT_DIM:
        raise ValueError(f"latents must be [n, {LATENT_DIM}], got shape {latents.shape}.")
    u = scipy.special.ndtr(latents)
    centre = (0.3 + 0.4 * u[:, :2]) * size
    half = 0.5 * (0.15 + 0.35 * u[:, 2:]) * size
    rows = _coverage(centre[:, 1] - half[:, 1], centre[:, 1] + half[:, 1], size)
    cols = _coverage(centre[:, 0] - half[:, 0], centre[:, 0] + half[:, 0], size)
    return (rows[:, :, None] * cols[:, None, :]).astype(np.float32)


def rectangle_pairs(num, mutual_information, size, seed=0):
    """(X, Y, ξ, η): paired images [num, size, size] with I(X; Y) = `mutual_information`."""
    rho = correlation_for(mutual_information)
    rng = np.random.default_rng(seed)
    xi = rng.standard_normal((num, LATENT_DIM))
    eta = rho * xi + math.sqrt(1 - rho**2) * rng.standard_normal((num, LATENT_DIM))
    return rectangle_images(xi, size), rectangle_images(eta, size), xi, eta
