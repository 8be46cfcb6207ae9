"""Entry point of the GitHub Action (``action.yml`` runs this file with the Action's venv).

The Action's folder is put first on ``sys.path`` so that the ``openness_gate`` shipped with
this exact Action version is used, whatever else the job installed.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from openness_gate.github.action import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
