"""The trained text model, shipped as a small JSON file and applied with numpy alone.

Classifying a message needs no scikit-learn: TF-IDF weights and a multinomial logistic
regression are a lookup, a dot product and a softmax. `receivables.mail.train` rebuilds the
file from the corpus; a test checks the shipped file is what the corpus gives.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from receivables.mail.features import features

MODEL_FILE = Path(__file__).resolve().parent / "model" / "classifier.json"
_READABLE = ("w:", "b:", "s:", "cu")  # words, word pairs, subject words and cues explain a decision; letter
# grams and stems do not
COEF_SCALE = 1000  # coefficients are stored as integer thousandths: half the file of decimals


@dataclass(frozen=True)
class Prediction:
    category: str
    probability: float
    evidence: tuple[str, ...]  # the words that pushed most toward the category


class MailModel:
    def __init__(self, data: dict) -> None:
        import numpy as np

        self.classes: list[str] = data["classes"]
        self.index = {term: i for i, term in enumerate(data["features"])}
        self.terms: list[str] = data["features"]
        self.idf = np.asarray(data["idf"], dtype=float)
        self.coef = np.asarray(data["coef_thousandths"], dtype=float) / COEF_SCALE  # classes x features
        self.intercept = np.asarray(data["intercept"], dtype=float)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "MailModel":
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def predict(self, text: str) -> Prediction:
        import numpy as np

        counts = Counter(self.index[f] for f in features(text) if f in self.index)
        if not counts:
            return Prediction("other", 0.0, ())
        cols = np.fromiter(counts.keys(), dtype=int, count=len(counts))
        weights = np.fromiter((1 + math.log(n) for n in counts.values()), dtype=float, count=len(counts))
        weights *= self.idf[cols]
        weights /= np.linalg.norm(weights)
        scores = self.coef[:, cols] @ weights + self.intercept
        scores = np.exp(scores - scores.max())
        probabilities = scores / scores.sum()
        best = int(probabilities.argmax())
        push = self.coef[best, cols] * weights
        order = [self.terms[cols[i]] for i in np.argsort(-push) if push[i] > 0]
        top = dict.fromkeys(_shown(term) for term in order if term[:2] in _READABLE)
        return Prediction(self.classes[best], float(probabilities[best]), tuple(list(top)[:4]))


def _shown(term: str) -> str:
    """A feature as a person reads it: "cue:paid", "do piatku", "<invoice>"."""
    if term.startswith("cue:"):
        return term
    return re.sub(r"zz(\w+)", r"<\1>", term.split(":", 1)[1].replace("_", " "))


@lru_cache(maxsize=4)
def shipped_model(path: Path = MODEL_FILE) -> MailModel:
    return MailModel.load(path)
