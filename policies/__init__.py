"""Built-in policies (YAML), shipped in the wheel as ``openness_gate.builtin_policies``."""
