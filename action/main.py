"""Entry point of the GitHub Action (``action.yml`` runs this file with the Action's venv).

The venv holds openness-gate installed from this Action's folder (``action.yml``'s install
step), so the code that runs is the installed package with its built-in policies, exactly as
a user's ``pip install`` gets it. ``action.yml`` starts Python with ``-I``: the job's
``PYTHONPATH`` and user site-packages cannot put another openness-gate (or another PyYAML)
in front of it.
"""

from __future__ import annotations

import sys

try:
    from openness_gate.github.action import main
except ImportError as exc:  # run outside action.yml's venv: say so in one line, as the Action does
    print(f"::error title=openness-gate::openness-gate is not installed in {sys.executable} ({exc}); "
          "run this file through action.yml, which installs it", flush=True)
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
