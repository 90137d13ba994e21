"""Recognising what the customer said: text normalisation, the matcher (objections, buying
signals, neutral talk), and the evaluation of a playbook's own `tests:`."""

from .evaluation import TestReport, run_tests
from .matcher import Match, Matcher
from .textnorm import normalise

__all__ = ["Match", "Matcher", "TestReport", "normalise", "run_tests"]
