"""`python -m openness_gate` is the same as the `openness-gate` command."""

from openness_gate.cli import run

run()
