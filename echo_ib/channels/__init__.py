"""Noise channels: `z, rate = channel((params_a, params_b))`, rate in nats per example.

Every channel implements `base.Channel`; `CHANNELS` names them (the method registry
`echo_ib.models.methods` and the bottleneck classifiers build from it)."""

from echo_ib.channels.base import Channel
from echo_ib.channels.echo import EchoNoise, default_clip, echo_noise, tail_bound
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
