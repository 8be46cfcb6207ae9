"""Our own YAML (the built-in policies and ``mof_data.yml``), parsed ahead of time.

Every check loads a built-in policy and the MOF facts. Parsing them needs PyYAML, whose import
costs ~18 ms, a third of the floor on a small repository, although most real repositories
(82 of the 94 in the calibration corpus) hold no YAML a check parses. ``frozen.json`` keeps
each file's parsed form together with the exact text it came from; when the text being
loaded differs (a policy edited in a source tree), the caller parses the YAML as before, so a
stale twin is slower, never wrong. ``tests/test_policy.py`` fails while the twin is stale.

Rebuild after editing a built-in policy or ``mof_data.yml``::

    python -m openness_gate.policy.frozen
"""

from __future__ import annotations

import json
import os
import sys

from openness_gate import package_data

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FILE = "frozen.json"
MOF_DATA = "mof_data.yml"


def parsed(key: str, text: str) -> Any | None:
    """The parsed form of ``text`` (the built-in file named ``key``: ``builtin:NAME`` or
    ``mof_data.yml``), or None when no twin was made from exactly this text. Each call returns
    fresh objects: callers may change what they get."""
    from openness_gate.policy.load import BUILTIN_PREFIX  # loaded already: the policy loader asks

    if not (key.startswith(BUILTIN_PREFIX) or key == MOF_DATA):
        return None  # a repository's own file (.openness.yml, a policy path): never has a twin
    try:
        entry = json.loads(package_data.read_text("openness_gate.policy", FILE)).get(key)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("text") != text:
        return None
    return entry.get("data")


def sources() -> dict[str, str]:
    """key → text of every file that gets a twin."""
    from openness_gate.policy import builtin
    from openness_gate.policy.load import BUILTIN_PREFIX

    out = {BUILTIN_PREFIX + name: builtin.text(name) for name in builtin.names()}
    out[MOF_DATA] = package_data.read_text("openness_gate.policy", MOF_DATA)
    return out


def build() -> dict[str, Any]:
    """The twin table, parsed with the same loader a check would use."""
    from openness_gate.parsers import safe_yaml

    table = {}
    for key, text in sources().items():
        data = safe_yaml.load(text, max_bytes=1 << 20, what=key)
        if json.loads(json.dumps(data)) != data:  # a date or a number as a key would not come back the same
            raise ValueError(f"{key}: its YAML does not survive a JSON round trip (quote dates and keys)")
        table[key] = {"text": text, "data": data}
    return table


def main() -> int:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), FILE)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(build(), fh, indent=1, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
