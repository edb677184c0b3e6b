"""The echo series and its adjoint, in O(B·D) memory (Brekelmans et al., NeurIPS 2019,
eq. 4):

```none
ε_i = Σ_{l=0}^{K-1} (Π_{l'<l} S(x^(l')_i)) f(x^(l)_i),   x^(l)_i drawn from the batch \\ {i}
```

`echo_permutations` draws which batch member each example reads at each term without a
B×B table; `echo_noise` sums the series with a hand-written gradient (a second forward
sweep instead of TensorFlow's stacked while-loop tape), compiled with XLA by default.
The layer that uses them is `echo_ib.channels.echo.EchoNoise`.
"""

import tensorflow as tf

__all__ = ["echo_noise", "echo_permutations"]


def echo_permutations(batch_size, num_terms, seed):
    """Draws the sampling pattern of the echo series without a B×B table.

    Example `i` reads, at term `l`, the batch member

    ```none
    idx_l(i) = perm[(pos[i] + o_l) mod B],      pos = perm⁻¹,
    ```

    where `perm` is a uniform random permutation of the batch and `(o_0, …, o_{K−1})` is
    a uniform random ordered K-subset of {1, …, B−1}. For every `i`, the indices
    `idx_0(i), …, idx_{K−1}(i)` are then a uniform ordered sample *without replacement*
    from the other B−1 members, exactly the marginal law of the reference implementation,
    while each `idx_l` is itself a permutation of the batch (so its adjoint is a gather).
    Memory is O(B), not O(B²).

    Args:
      batch_size: B ≥ 2, an int or scalar int32 tensor.
      num_terms: K with 1 ≤ K ≤ B − 1.
      seed: a stateless seed, int32/int64 tensor of shape [2].

    Returns:
      `(perm, pos, offsets)`: int32 tensors of shapes [B], [B] and [K].
    """
    seed_perm, seed_offsets = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    perm = tf.argsort(tf.random.stateless_uniform([batch_size], seed_perm))
    pos = tf.math.invert_permutation(perm)
    offsets = 1 + tf.argsort(tf.random.stateless_uniform([batch_size - 1], seed_offsets))
    return perm, pos, tf.cast(offsets[:num_terms], tf.int32)


def _series(f, log_s, perm, pos, offsets):
    """ε_i = Σ_l exp(Σ_{l'<l} log S_{idx_l'(i)}) f_{idx_l(i)}; one [B, D] buffer per term."""
    batch_size = tf.shape(f)[0]
    num_terms = tf.shape(offsets)[0]

    def body(l, acc, log_prod):
        idx = tf.gather(perm, (pos + offsets[l]) % batch_size)
        acc += tf.exp(log_prod) * tf.gather(f, idx)
        return l + 1, acc, log_prod + tf.gather(log_s, idx)

    zeros = tf.zeros_like(f)
    _, eps, _ = tf.while_loop(
        lambda l, *_: l < num_terms, body, (tf.constant(0), zeros, zeros))
    return eps


def _adjoint(f, log_s, perm, pos, offsets, eps, upstream):
    """The gradient of `_series` in `f` and `log_s`, by a second forward sweep.

    With P_l = Π_{l'<l} S_{idx_l'} and R_{l+1} = Σ_{m≤l} P_m f_{idx_m}:
    ∂ε_i/∂f_{idx_l(i)} = P_l and ∂ε_i/∂log S_{idx_l(i)} = P_l S_{idx_l} T_{l+1} = ε_i − R_{l+1}.
    Both are recomputed term by term; scattering back to row j = idx_l(i) is a gather with
    the inverse permutation idx_l⁻¹(j) = perm[(pos[j] − o_l) mod B].
    """
    batch_size = tf.shape(f)[0]
    num_terms = tf.shape(offsets)[0]

    def body(l, partial, log_prod, d_f, d_log_s):
        idx = tf.gather(perm, (pos + offsets[l]) % batch_size)
        inverse = tf.gather(perm, (pos - offsets[l]) % batch_size)
        prod = tf.exp(log_prod)
        partial += prod * tf.gather(f, idx)
        d_f += tf.gather(upstream * prod, inverse)
        d_log_s += tf.gather(upstream * (eps - partial), inverse)
        return l + 1, partial, log_prod + tf.gather(log_s, idx), d_f, d_log_s

    zeros = tf.zeros_like(f)
    _, _, _, d_f, d_log_s = tf.while_loop(
        lambda l, *_: l < num_terms, body, (tf.constant(0), zeros, zeros, zeros, zeros))
    return d_f, d_log_s


def _with_lean_gradient(series, adjoint):
    """The series with an O(B·D)-memory adjoint instead of TF's stacked while-loop tape.

    The custom gradient wraps the compiled functions rather than sits inside one, and the
    forward function sees its inputs through `tf.stop_gradient`: called eagerly under a
    `tf.GradientTape`, a recorded function holding a while loop is rewritten to keep every
    iteration's intermediates, which XLA cannot compile without a fixed loop length and
    which the lean adjoint exists to avoid.
    """
    @tf.custom_gradient
    def series_with_lean_gradient(f, log_s, perm, pos, offsets):
        eps = series(tf.stop_gradient(f), tf.stop_gradient(log_s), perm, pos, offsets)

        def grad(upstream):
            return (*adjoint(f, log_s, perm, pos, offsets, eps, upstream), None, None, None)

        return eps, grad

    return series_with_lean_gradient


_series_xla = _with_lean_gradient(tf.function(_series, jit_compile=True, autograph=False),
                                  tf.function(_adjoint, jit_compile=True, autograph=False))
_series_graph = _with_lean_gradient(tf.function(_series, autograph=False),
                                    tf.function(_adjoint, autograph=False))


def echo_noise(f, log_s, num_terms, seed, jit_compile=True):
    """Samples echo noise ε for a batch (paper eq. 4), O(B·D) memory.

    ```none
    ε_i = Σ_{l=0}^{K-1} (Π_{l'<l} S(x^(l')_i)) f(x^(l)_i),   x^(l)_i drawn from the batch \\ {i}
    ```

    Args:
      f: float tensor [batch, latent], the bounded encoder means f(x).
      log_s: float tensor [batch, latent], log of the diagonal of S(x) (all < 0).
      num_terms: K with 1 ≤ K ≤ batch − 1, a Python int or scalar int32 tensor.
      seed: stateless seed, int tensor of shape [2].
      jit_compile: compile the K-step accumulation with XLA. Default value: True.

    Returns:
      ε, float tensor [batch, latent]. Differentiable in `f` and `log_s`.
    """
    f = tf.convert_to_tensor(f)
    log_s = tf.broadcast_to(tf.cast(log_s, f.dtype), tf.shape(f))
    perm, pos, offsets = echo_permutations(tf.shape(f)[0], num_terms, seed)
    series = _series_xla if jit_compile else _series_graph
    return series(f, log_s, perm, pos, offsets)
