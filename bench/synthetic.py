"""A deterministic synthetic playbook of many categories and phrasings, for scale benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

WORDS = (
    "price budget cost contract supplier team boss quarter risk data migration trial support training "
    "invoice licence feature integration security deadline approval committee vendor discount renewal "
    "onboarding report dashboard upgrade service delivery payment terms volume users sites partner "
    "customer process workflow tool system platform cloud server mobile office region market launch"
).split()
FILLERS = "we our the it is too not really just very this that with for about".split()


def phrase(rng: random.Random, topic: list[str]) -> str:
    words = rng.sample(topic, 2) + rng.sample(WORDS, 2) + rng.sample(FILLERS, 3)
    rng.shuffle(words)
    return " ".join(words)


def synthetic_playbook(categories: int = 200, phrasings: int = 100, seed: int = 7) -> dict:
    """A playbook mapping: `categories` objections with `phrasings` phrasings each."""
    rng = random.Random(seed)
    objections = []
    for c in range(categories):
        topic = rng.sample(WORDS, 4) + [f"term{c}", f"word{c}"]
        objections.append(
            {
                "id": f"category_{c}",
                "title": f"Category {c}",
                "keywords": topic[:3],
                "phrasings": [phrase(rng, topic) for _ in range(phrasings)],
                "responses": [{"id": "ask", "technique": "question", "text": "What makes you say that?"}],
            }
        )
    return {
        "playbook": {"id": "synthetic", "name": "Synthetic"},
        "stages": [{"id": "objections", "title": "Objections", "goals": ["Handle objections"]}],
        "techniques": [{"id": "question", "name": "Question", "description": "Ask."}],
        "objections": objections,
    }


def write_synthetic(directory: Path, **kwargs: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "playbook.yaml"
    path.write_text(yaml.safe_dump(synthetic_playbook(**kwargs), sort_keys=False, width=200))
    return path
