"""openness-gate: find the evidence of openness in an AI model repository and gate on a policy."""

__version__ = "0.1.0"
