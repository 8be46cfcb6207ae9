"""`python -m openness_gate` is the same as the `openness-gate` command."""

import sys

from openness_gate.cli import main

sys.exit(main())
