"""Every registered channel refuses the same input mistakes with the same words."""

import numpy as np
import pytest

from echo_ib import channels

_CHANNELS = sorted(channels.CHANNELS)


def _zeros(*shape):
    return np.zeros(shape, np.float32)


@pytest.mark.parametrize("name", _CHANNELS)
def test_one_tensor_instead_of_two_is_refused_at_build(name):
    layer = channels.CHANNELS[name]()
    a, b = layer.input_names
    with pytest.raises(ValueError, match=rf"takes inputs=\({a}, {b}\), two tensors; got one "
                                         r"input of shape \(8, 5\)"):
        layer(_zeros(8, 5))


@pytest.mark.parametrize("name", _CHANNELS)
def test_a_one_dimensional_input_is_refused(name):
    layer = channels.CHANNELS[name]()
    with pytest.raises(ValueError, match=rf"{layer.input_names[0]} must be \[batch, latent\]"):
        layer.checked_inputs((_zeros(8), _zeros(8)))


@pytest.mark.parametrize("name", _CHANNELS)
@pytest.mark.parametrize("a_shape,b_shape", [((8, 3), (8, 4)), ((8, 3), (4, 3)),
                                             ((8, 3), (2, 8, 3))])
def test_a_second_input_that_does_not_broadcast_is_refused(name, a_shape, b_shape):
    layer = channels.CHANNELS[name]()
    a, b = layer.input_names
    with pytest.raises(ValueError, match=rf"{b} of shape .* does not broadcast to {a}'s shape"):
        layer((_zeros(*a_shape), _zeros(*b_shape)))


@pytest.mark.parametrize("name", _CHANNELS)
@pytest.mark.parametrize("b_shape", [(8, 3), (8, 1), (1,), ()])
def test_shapes_that_broadcast_pass(name, b_shape):
    layer = channels.CHANNELS[name](seed=0)
    z, rate = layer((_zeros(8, 3), _zeros(*b_shape)))
    assert z.shape == (8, 3) and rate.shape == (8,)
