"""Training throughput: WTKO's step vs the published loop vs the FLOP floor.

(a) ours: ``wtko.train.train_epoch`` on WTKO-CNN, uint8 codes one-hot-encoded
    per batch, micro-batch 64 x grad_accum 4, 600 bp.
(b) the published scripts' loop, re-implemented faithfully: a torch
    ``Dataset`` converting one (1000, 4) padded one-hot sample per
    ``__getitem__``, ``DataLoader`` batch 16, gradient accumulation 4,
    the authors' CNN (permute inside, functional ReLU/softmax), ``.item()``
    per batch.
(c) the floor: WTKO-CNN training FLOPs per 600 bp sequence (3 x the forward
    FLOPs counted by ``FlopCounterMode``) divided by the measured float32
    ``torch.matmul`` rate on 2048 x 2048 matrices (best of several).

(a) and (b) alternate for ``--rounds`` rounds of ``--seconds`` each and the
best round counts, so a neighbour's burst of CPU use hurts neither more.
The matmul rate is the best seen before and after, which makes the floor
as demanding as possible. Prints seq/s for (a), (b), (c) and a/b, a/c.

    python benchmarks/train_throughput.py --n 2048 --seconds 20
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from wtko.data import one_hot_batch  # noqa: E402
from wtko.models import build_model  # noqa: E402
from wtko.train import train_epoch  # noqa: E402


def matmul_gflops(size: int = 2048, reps: int = 8) -> float:
    """Best-of-``reps`` float32 matmul rate in GFLOP/s."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b
    best = float("inf")
    for _ in range(reps):
        tic = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - tic)
    return 2 * size ** 3 / best / 1e9


def training_flops_per_sequence(length: int) -> float:
    """3 x forward FLOPs (forward + backward ~ 3 forwards) of WTKO-CNN for one sequence."""
    model = build_model("wtko_cnn").eval()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(one_hot_batch(torch.zeros((1, length), dtype=torch.uint8)))
    return 3.0 * counter.get_total_flops()


# --- (b): the published loop ---------------------------------------------------------------

class PublishedDataset(Dataset):
    """Per-sample numpy -> torch conversion, as in cnn_attention.py."""

    def __init__(self, sequences: np.ndarray, labels: np.ndarray):
        self.sequences, self.labels = sequences, labels

    def __len__(self) -> int:
        return len(self.sequences)

    def __getitem__(self, idx):
        return (torch.tensor(self.sequences[idx], dtype=torch.float32),
                torch.tensor(self.labels[idx], dtype=torch.long))


class PublishedModel(nn.Module):
    """The authors' CNN + attention, (N, L, 4) input."""

    def __init__(self):
        super().__init__()
        self.conv1, self.pool1, self.dropout1 = nn.Conv1d(4, 64, 10), nn.MaxPool1d(2), nn.Dropout(0.3)
        self.conv2, self.pool2, self.dropout2 = nn.Conv1d(64, 128, 10), nn.MaxPool1d(2), nn.Dropout(0.3)
        self.attn, self.fc1, self.output = nn.Linear(128, 1), nn.Linear(128, 64), nn.Linear(64, 2)

    def forward(self, x):
        x = x.permute(0, 2, 1)
        x = self.dropout1(self.pool1(F.relu(self.conv1(x))))
        x = self.dropout2(self.pool2(F.relu(self.conv2(x))))
        x = x.permute(0, 2, 1)
        weights = torch.softmax(self.attn(x), dim=1)
        x = torch.sum(x * weights, dim=1)
        return self.output(F.relu(self.fc1(x))), weights


def published_one_hot(codes: np.ndarray, pad_to: int = 1000) -> np.ndarray:
    """(N, L) codes -> (N, pad_to, 4) float32, zero-padded at the end like pad_sequences(post)."""
    out = np.zeros((len(codes), pad_to, 4), dtype=np.float32)
    eye = np.vstack([np.eye(4, dtype=np.float32), np.zeros((1, 4), np.float32)])
    out[:, :codes.shape[1]] = eye[codes]
    return out


def run_published(sequences: np.ndarray, labels: np.ndarray, seconds: float) -> float:
    """Sequences per second of the published training loop, timed after one warm-up batch."""
    cuda = torch.cuda.is_available()
    loader = DataLoader(PublishedDataset(sequences, labels), batch_size=16, shuffle=True)
    model = PublishedModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    scaler = torch.amp.GradScaler("cuda", enabled=cuda)
    criterion, accumulation_steps = nn.CrossEntropyLoss(), 4
    seen, tic, deadline = 0, None, None
    while True:
        model.train()
        optimizer.zero_grad()
        for i, (inputs, target) in enumerate(loader):
            with torch.autocast("cuda", enabled=cuda):
                outputs, _ = model(inputs)
                loss = criterion(outputs, target) / accumulation_steps
            scaler.scale(loss).backward()
            if (i + 1) % accumulation_steps == 0:
                scaler.step(optimizer)
                scaler.update()
                optimizer.zero_grad()
            _ = loss.item()
            _, predicted = torch.max(outputs, 1)
            _ = (predicted == target).sum().item()
            if tic is None:
                tic = time.perf_counter()
                deadline = tic + seconds
                continue
            seen += len(target)
            if time.perf_counter() >= deadline:
                return seen / (time.perf_counter() - tic)


# --- (a): ours ---------------------------------------------------------------------------

def run_ours(codes: np.ndarray, labels: np.ndarray, seconds: float, batch_size: int,
             grad_accum: int) -> float:
    """Sequences per second of wtko.train.train_epoch, timed after a warm-up group."""
    model = build_model("wtko_cnn")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    scaler = torch.amp.GradScaler("cuda", enabled=False)
    codes_t, labels_t = torch.from_numpy(codes), torch.from_numpy(labels.astype(np.int64))
    device = torch.device("cpu")
    generator = torch.Generator().manual_seed(0)
    warm = torch.randperm(len(codes), generator=generator)[:batch_size * grad_accum]
    train_epoch(model, optimizer, scaler, codes_t, labels_t, warm, batch_size, grad_accum, device)
    seen, tic = 0, time.perf_counter()
    while time.perf_counter() - tic < seconds:
        order = torch.randperm(len(codes), generator=generator)
        train_epoch(model, optimizer, scaler, codes_t, labels_t, order, batch_size, grad_accum,
                    device)
        seen += len(order)
    return seen / (time.perf_counter() - tic)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2048, help="synthetic sequences (ours: one epoch)")
    parser.add_argument("--seconds", type=float, default=20.0, help="timed seconds per method per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--length", type=int, default=600)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--grad-accum", type=int, default=4)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 4, (args.n, args.length)).astype(np.uint8)
    labels = rng.integers(0, 2, args.n).astype(np.uint8)
    padded = published_one_hot(codes)

    rate = matmul_gflops()
    ours, published = [], []
    for _ in range(args.rounds):
        ours.append(run_ours(codes, labels, args.seconds, args.batch_size, args.grad_accum))
        published.append(run_published(padded, labels, args.seconds))
    rate = max(rate, matmul_gflops())
    flops = training_flops_per_sequence(args.length)
    floor = rate * 1e9 / flops
    a, b = max(ours), max(published)
    print(f"threads {args.threads}, n {args.n}, {args.length} bp, {args.rounds} rounds x {args.seconds:g} s")
    print(f"(a) ours       {a:8.1f} seq/s  (rounds: {', '.join(f'{x:.1f}' for x in ours)})")
    print(f"(b) published  {b:8.1f} seq/s  (rounds: {', '.join(f'{x:.1f}' for x in published)})")
    print(f"(c) FLOP floor {floor:8.1f} seq/s  ({flops / 1e6:.1f} MFLOP/seq, matmul {rate:.1f} GFLOP/s)")
    print(f"a/b {a / b:.2f}x   a/c {a / floor:.2f}")


if __name__ == "__main__":
    main()
