"""The learned attribution tagger: a small convolutional tagger over the token features of ``learn.features``.

Each feature has its own embedding table (the word and head-word features share one); the
concatenated embeddings run through four residual dilated convolutions (each token sees 30 tokens
either side), and three linear heads give B/I/O for content, cue and source. Convolutions rather than
an LSTM: several times faster on a shared CPU, which is where this trains. Trained with cross-entropy
on CPU; weights, vocabularies and settings are saved to one directory (``tagger.pt`` and
``tagger.json``) and loaded from it. Nothing is downloaded; nothing trained ships with the package.

torch is imported here only: the default pipeline never imports this module.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from claimscope.errors import ClaimscopeError, ModelFileError
from claimscope.learn.features import FEATURES, LAYERS, Sequence_

FORMAT = "claimscope.attribution-tagger.v1"
_UNK, _PAD = "<unk>", "<pad>"
_WORDS = ("word", "head_word")


@dataclass(frozen=True, slots=True)
class TrainConfig:
    epochs: int = 5
    batch: int = 16
    lr: float = 2e-3
    word_dim: int = 64
    feat_dim: int = 16
    hidden: int = 64
    layers: int = 4  # dilated convolution layers
    dropout: float = 0.3
    min_count: int = 2  # words seen fewer times map to <unk>
    seed: int = 13
    threads: int = 1


class _Net(nn.Module):
    def __init__(self, sizes: dict[str, int], cfg: TrainConfig) -> None:
        super().__init__()
        self.words = nn.Embedding(sizes["word"], cfg.word_dim, padding_idx=0)
        self.feats = nn.ModuleDict({f: nn.Embedding(sizes[f], cfg.feat_dim, padding_idx=0)
                                    for f in FEATURES if f not in _WORDS})
        width = cfg.word_dim * len(_WORDS) + cfg.feat_dim * len(self.feats)
        self.drop = nn.Dropout(cfg.dropout)
        self.inp = nn.Linear(width, cfg.hidden)
        # dilated convolutions: each token sees 2 * (1 + 2 + 4 + 8) = 30 tokens either side after four layers
        self.convs = nn.ModuleList(nn.Conv1d(cfg.hidden, cfg.hidden, 3, padding=2**k, dilation=2**k)
                                   for k in range(cfg.layers))
        self.out = nn.Linear(cfg.hidden, 3 * len(LAYERS))

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        parts = []
        for k, f in enumerate(FEATURES):
            table = self.words if f in _WORDS else self.feats[f]
            parts.append(table(x[:, :, k]))
        mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).unsqueeze(1).float()  # (batch, 1, tokens)
        h = torch.relu(self.inp(self.drop(torch.cat(parts, dim=-1)))).transpose(1, 2) * mask
        for conv in self.convs:
            h = (h + torch.relu(conv(self.drop(h)))) * mask
        logits: torch.Tensor = self.out(self.drop(h.transpose(1, 2)))
        return logits.view(x.shape[0], x.shape[1], len(LAYERS), 3)


class Tagger:
    """Vocabularies plus the network; ``tag`` gives B/I/O per layer for each token of each sequence."""

    def __init__(self, vocab: dict[str, dict[str, int]], cfg: TrainConfig, net: _Net | None = None) -> None:
        self.vocab, self.cfg = vocab, cfg
        sizes = {f: len(vocab["word" if f in _WORDS else f]) for f in FEATURES}
        self.net = net or _Net(sizes, cfg)

    @classmethod
    def build(cls, seqs: Sequence[Sequence_], cfg: TrainConfig) -> Tagger:
        counts: dict[str, Counter[str]] = {f: Counter() for f in FEATURES if f not in _WORDS}
        words: Counter[str] = Counter()
        for s in seqs:
            for feats in s.features:
                for f, v in zip(FEATURES, feats, strict=True):
                    if f in _WORDS:
                        words[v] += 1
                    else:
                        counts[f][v] += 1
        vocab = {"word": _index(w for w, n in words.items() if n >= cfg.min_count)}
        vocab.update({f: _index(c) for f, c in counts.items()})
        return cls(vocab, cfg)

    def ids(self, seq: Sequence_) -> torch.Tensor:
        """The feature ids of one sequence, (tokens, features)."""
        tables = [self.vocab["word" if f in _WORDS else f] for f in FEATURES]
        return torch.tensor([[tables[k].get(v, 1) for k, v in enumerate(feats)] for feats in seq.features],
                            dtype=torch.long)

    def encode(self, seqs: Sequence[Sequence_], ids: Sequence[torch.Tensor] | None = None
               ) -> tuple[torch.Tensor, torch.Tensor]:
        rows = list(ids) if ids is not None else [self.ids(s) for s in seqs]
        x = nn.utils.rnn.pad_sequence(rows, batch_first=True, padding_value=0)
        return x, torch.tensor([len(s.tokens) for s in seqs])

    def tag(self, seqs: Sequence[Sequence_], batch: int = 32) -> list[list[list[int]]]:
        """Per sequence, per layer, the predicted tag of each token."""
        self.net.eval()
        out: list[list[list[int]]] = []
        with torch.no_grad():
            for lo in range(0, len(seqs), batch):
                chunk = seqs[lo : lo + batch]
                x, lengths = self.encode(chunk)
                best = self.net(x, lengths).argmax(-1)
                for b, s in enumerate(chunk):
                    n = len(s.tokens)
                    out.append([best[b, :n, k].tolist() for k in range(len(LAYERS))])
        return out

    def save(self, where: str | Path) -> None:
        d = Path(where)
        d.mkdir(parents=True, exist_ok=True)
        torch.save(self.net.state_dict(), d / "tagger.pt")
        meta = {"format": FORMAT, "features": list(FEATURES), "layers": list(LAYERS), "config": asdict(self.cfg),
                "vocab": self.vocab}
        (d / "tagger.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, where: str | Path) -> Tagger:
        d = Path(where)
        try:
            meta = json.loads((d / "tagger.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"{d}: not an attribution model directory (no readable tagger.json)") from exc
        if meta.get("format") != FORMAT or meta.get("features") != list(FEATURES):
            raise ModelFileError(f"{d}: the model was written by another version of claimscope ({meta.get('format')})")
        tagger = cls(meta["vocab"], TrainConfig(**meta["config"]))
        try:
            state = torch.load(d / "tagger.pt", map_location="cpu", weights_only=True)
            tagger.net.load_state_dict(state)
        except (OSError, RuntimeError) as exc:
            raise ModelFileError(f"{d}: the weights file tagger.pt cannot be read ({exc})") from exc
        tagger.net.eval()
        return tagger


def _index(values: Any) -> dict[str, int]:
    table = {_PAD: 0, _UNK: 1}
    for v in sorted(values):
        table.setdefault(v, len(table))
    return table


def train(seqs: Sequence[Sequence_], cfg: TrainConfig = TrainConfig(),
          report: Callable[[str], None] | None = None, max_steps: int | None = None) -> Tagger:
    """Train a tagger on sequences with gold tags. ``max_steps`` stops early (tests)."""
    data = [s for s in seqs if s.tags is not None]
    if not data:
        raise ClaimscopeError("no training sequences with gold attributions")
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    tagger = Tagger.build(data, cfg)
    net = tagger.net
    ids = [tagger.ids(s) for s in data]
    gold = [torch.tensor(list(zip(*s.tags, strict=True)), dtype=torch.long) for s in data if s.tags is not None]
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    # content tokens are common, cue and source tokens rare: weight B and I above O
    weight = torch.tensor([1.0, 3.0, 2.0])
    loss_fn = nn.CrossEntropyLoss(weight=weight, ignore_index=-1)
    steps = 0
    for epoch in range(cfg.epochs):
        net.train()
        order = sorted(range(len(data)), key=lambda i: (len(data[i].tokens), rng.random()))
        batches = [order[i : i + cfg.batch] for i in range(0, len(order), cfg.batch)]
        rng.shuffle(batches)
        total, t0 = 0.0, time.perf_counter()
        for batch in batches:
            chunk = [data[i] for i in batch]
            x, lengths = tagger.encode(chunk, [ids[i] for i in batch])
            y = nn.utils.rnn.pad_sequence([gold[i] for i in batch], batch_first=True, padding_value=-1)
            if cfg.min_count > 1:  # word dropout: unknown words at prediction time look like this
                x[:, :, 0] = torch.where(torch.rand(x.shape[:2]) < 0.05, torch.ones_like(x[:, :, 0]), x[:, :, 0])
            logits = net(x, lengths)
            loss = loss_fn(logits.reshape(-1, 3), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += loss.item()
            steps += 1
            if max_steps is not None and steps >= max_steps:
                net.eval()
                return tagger
        if report:
            report(f"epoch {epoch + 1}/{cfg.epochs}: loss {total / max(1, len(batches)):.4f} "
                   f"({time.perf_counter() - t0:.0f} s)")
    net.eval()
    return tagger
