"""Information planes of noisy networks (Shwartz-Ziv & Tishby 2017; Goldfeld et al., ICML
2019): the Keras callbacks that measure I(X;T_ℓ) and I(Y;T_ℓ) during training
(`callbacks`), training a noisy classifier while measuring them (`tracking`), and the
fields of its config, checked like a training config's (`schema`).

Import what you use (`from echo_ib.info_plane import tracking`); `import echo_ib` loads
none of it.
"""
