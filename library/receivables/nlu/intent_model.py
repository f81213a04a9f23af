"""A small statistical intent model for the answers the phrase rules find no evidence in.

Rules are precise but only know the wordings someone wrote down; character n-grams see
stems ("przedawni", "verjähr", "bankrupt") in wordings nobody listed.  Multinomial naive Bayes
over the folded answer's character 2-5-grams (inside words) and word uni- and bigrams,
trained at first use on the labelled corpus and dev answers (``intent_examples.txt``).
Pure Python and deterministic: training takes ~0.2 s, a prediction well under a millisecond,
and nothing heavy is imported (scikit-learn alone takes ~2 s to import here).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

EXAMPLES_FILE = "intent_examples.txt"
SMOOTHING = 0.1  # additive smoothing (alpha); chosen by 5-fold cross-validation on the examples
_NGRAMS = range(2, 6)
_WORD = re.compile(r"[\w']+|\?")
_DIGITS = re.compile(r"\d+")


def features(folded: str) -> Counter[str]:
    """What the model sees: digits made one symbol, then character n-grams and words."""
    text = _DIGITS.sub("0", folded)
    found: Counter[str] = Counter()
    for chunk in text.split():
        padded = f" {chunk} "
        for n in _NGRAMS:
            found.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    words = _WORD.findall(text)
    found.update(f"w:{word}" for word in words)
    found.update(f"b:{a} {b}" for a, b in zip(words, words[1:]))
    return found


@dataclass(frozen=True)
class IntentModel:
    """Log prior per intent and log likelihood per feature and intent."""

    intents: tuple[str, ...]
    log_prior: tuple[float, ...]
    log_likelihood: dict[str, tuple[float, ...]]

    def probabilities(self, folded: str) -> dict[str, float]:
        """Posterior of every intent; the prior alone when no feature is known."""
        scores = list(self.log_prior)
        for feature, count in features(folded).items():
            row = self.log_likelihood.get(feature)
            if row is not None:
                scores = [s + count * w for s, w in zip(scores, row)]
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        total = sum(weights)
        return {intent: w / total for intent, w in zip(self.intents, weights)}

    def predict(self, folded: str) -> str:
        """The most probable intent of a folded answer."""
        probabilities = self.probabilities(folded)
        return max(self.intents, key=lambda intent: probabilities[intent])


def train(examples: list[tuple[str, str]], smoothing: float = SMOOTHING) -> IntentModel:
    """Fit the model on (intent, folded text) pairs."""
    per_intent: dict[str, Counter[str]] = defaultdict(Counter)
    documents: Counter[str] = Counter()
    for intent, folded in examples:
        per_intent[intent].update(features(folded))
        documents[intent] += 1
    intents = tuple(sorted(per_intent))
    vocabulary = sorted(set().union(*per_intent.values()))
    denominators = [sum(per_intent[i].values()) + smoothing * len(vocabulary) for i in intents]
    log_likelihood = {
        feature: tuple(math.log((per_intent[i][feature] + smoothing) / d) for i, d in zip(intents, denominators))
        for feature in vocabulary
    }
    total = sum(documents.values())
    return IntentModel(intents, tuple(math.log(documents[i] / total) for i in intents), log_likelihood)


def read_examples(text: str) -> list[tuple[str, str]]:
    """(intent, text) pairs from the examples file: `intent<TAB>answer` lines, `#` comments."""
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            intent, answer = line.split("\t", 1)
            pairs.append((intent, answer))
    return pairs


@lru_cache(maxsize=1)
def shipped_model() -> IntentModel:
    """The model trained on the shipped examples, once per process."""
    from .text import fold

    raw = resources.files(__package__).joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")
    return train([(intent, fold(answer)) for intent, answer in read_examples(raw)])
