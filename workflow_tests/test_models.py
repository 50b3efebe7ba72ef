"""WTKO-CNN shapes, attention, attribution-friendly structure and checkpoints."""

from __future__ import annotations

import pytest
import torch
from tangermeme.deep_lift_shap import BilinearOp
from torch import nn

from wtko.data import one_hot_batch
from wtko.errors import InputError
from wtko.models import MODELS, WTKOCNN, FastDropout, build_model, load_model, save_model


def _batch(n: int = 3, length: int = 600) -> torch.Tensor:
    return one_hot_batch(torch.randint(0, 5, (n, length), generator=torch.Generator().manual_seed(0)))


def test_registry_builds_wtko_cnn():
    assert MODELS["wtko_cnn"] is WTKOCNN
    model = build_model("wtko_cnn", dropout=0.1)
    assert model.config["dropout"] == 0.1


def test_unknown_model_is_input_error():
    with pytest.raises(InputError, match="unknown model 'nope'"):
        build_model("nope")


@pytest.mark.parametrize("length", [600, 200])
def test_output_shapes_and_attention_sums_to_one(length):
    model = build_model("wtko_cnn").eval()
    logits, attention = model(_batch(length=length), return_attention=True)
    pooled = ((length - 9) // 2 - 9) // 2
    assert logits.shape == (3, 2)
    assert attention.shape == (3, pooled)
    assert torch.all(attention >= 0)
    torch.testing.assert_close(attention.sum(1), torch.ones(3))
    torch.testing.assert_close(model(_batch(length=length)), logits)


def test_accepts_contiguous_input():
    """The (N, 4, L) convention holds whatever the input's memory layout."""
    model = build_model("wtko_cnn").eval()
    x = _batch()
    torch.testing.assert_close(model(x.contiguous()), model(x))


def test_every_nonlinearity_is_a_module_used_once():
    model = build_model("wtko_cnn").eval()
    calls: dict[str, int] = {}
    kinds = (nn.ReLU, nn.Softmax, nn.MaxPool2d, BilinearOp)
    for name, module in model.named_modules():
        if isinstance(module, kinds):
            module.register_forward_hook(lambda m, i, o, name=name: calls.__setitem__(
                name, calls.get(name, 0) + 1))
    model(_batch())
    assert set(calls) == {"relu1", "pool1", "relu2", "pool2", "softmax", "weighted_sum", "relu3"}
    assert all(count == 1 for count in calls.values())


def test_attention_product_is_a_bilinear_op_computing_the_weighted_sum():
    model = build_model("wtko_cnn")
    assert isinstance(model.weighted_sum, BilinearOp)
    feats, weights = torch.randn(2, 5, 7), torch.softmax(torch.randn(2, 7, 1), dim=1)
    torch.testing.assert_close(model.weighted_sum(feats, weights).squeeze(2),
                               (feats * weights.transpose(1, 2)).sum(-1))


def test_fast_dropout_rate_scale_layout_and_eval_identity():
    x = torch.ones(64, 32, 1, 101).contiguous(memory_format=torch.channels_last)
    drop = FastDropout(0.3)
    torch.manual_seed(0)
    y = drop(x)
    assert y.is_contiguous(memory_format=torch.channels_last)
    assert torch.unique(y).tolist() == pytest.approx([0.0, 1 / 0.7])
    assert (y == 0).float().mean().item() == pytest.approx(0.3, abs=0.01)
    torch.manual_seed(0)
    torch.testing.assert_close(drop(x), y)
    assert drop.eval()(x) is x


def test_checkpoint_round_trip_with_weights_only(tmp_path):
    model = build_model("wtko_cnn", hidden=32).eval()
    save_model(tmp_path / "model.pt", model, "wtko_cnn", epoch=3, val_acc=0.5)
    loaded, ckpt = load_model(tmp_path / "model.pt")
    assert ckpt["epoch"] == 3 and ckpt["model_config"]["hidden"] == 32
    assert not loaded.training
    x = _batch()
    torch.testing.assert_close(loaded(x), model(x))
