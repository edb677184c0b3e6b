"""Noise channels: `z, rate = channel((params_a, params_b))`, rate in nats per example."""

from echo_ib.channels.echo import EchoNoise, default_clip, echo_noise, tail_bound
from echo_ib.channels.gaussian import GaussianNoise

__all__ = [
    "EchoNoise",
    "GaussianNoise",
    "default_clip",
    "echo_noise",
    "tail_bound",
]
