"""Noise channels: `z, rate = channel((params_a, params_b))`, rate in nats per example.

Every channel implements `base.Channel`; `CHANNELS` names them (the method registry
`echo_ib.models.methods` and the bottleneck classifiers build from it).

Layout: `base` (the contract), `echo` (the echo layer), `echo_series` (the series and its
adjoint), `truncation` (the clip and the tail bound), `gates` (the hard-concrete gate),
`gaussian` (the Gaussian channel)."""

from echo_ib.channels.base import Channel
from echo_ib.channels.echo import EchoNoise
from echo_ib.channels.echo_series import echo_noise
from echo_ib.channels.truncation import default_clip, tail_bound
from echo_ib.channels.gaussian import GaussianNoise

CHANNELS = {"echo": EchoNoise, "gaussian": GaussianNoise}

__all__ = [
    "CHANNELS",
    "Channel",
    "EchoNoise",
    "GaussianNoise",
    "default_clip",
    "echo_noise",
    "tail_bound",
]
