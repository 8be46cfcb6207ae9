"""`openness-gate policy list | show NAME|FILE | validate FILE`: inspect and check policies.

``show`` prints the policy as it is enforced (after ``extends`` and ``locked`` are resolved), so a
user can see exactly which requirements an inherited chain adds up to.
"""

from __future__ import annotations

import argparse
import json

from openness_gate.errors import EXIT_PASS, UsageError


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("policy", help="list, show or validate policies",
                       description="List the built-in policies, show a policy as enforced (after extends), "
                                   "or validate a policy file (exit 2 with file:line: key: problem when invalid).")
    actions = p.add_subparsers(dest="policy_action", metavar="ACTION")
    actions.add_parser("list", help="list the built-in policies")
    show = actions.add_parser("show", help="show a policy as enforced, after extends")
    show.add_argument("name", metavar="NAME|FILE")
    show.add_argument("--format", choices=("yaml", "json"), default="yaml")
    val = actions.add_parser("validate", help="validate a policy file")
    val.add_argument("file", metavar="FILE")
    return p


def as_dict(policy) -> dict:  # noqa: ANN001 - a load.Policy
    out = {"name": policy.name, "source": policy.source}
    if policy.description:
        out["description"] = policy.description
    if len(policy.chain) > 1:
        out["extends"] = list(policy.chain[:-1])
    out["accept"] = list(policy.accept)
    out["requirements"] = [{**r, **({"defined_in": policy.origin[r["id"]]} if policy.origin.get(r["id"]) not in
                                    (None, policy.source) else {})} for r in policy.requirements]
    for key in ("scoring", "levels", "pass_level"):
        value = getattr(policy, key)
        if value:
            out[key] = value
    return out


def _list() -> int:
    from openness_gate.policy import DEFAULT_POLICY, builtin_names, load_policy

    for name in builtin_names():
        p = load_policy(name)
        default = " (default)" if name == DEFAULT_POLICY else ""
        print(f"{name}{default}: {' '.join(p.description.split())}")
    return EXIT_PASS


def run(args: argparse.Namespace) -> int:
    from openness_gate.policy import load_policy

    action = getattr(args, "policy_action", None)
    if action == "list":
        return _list()
    if action == "show":
        data = as_dict(load_policy(args.name))
        if args.format == "json":
            print(json.dumps(data, indent=2))
        else:
            import yaml

            print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110), end="")
        return EXIT_PASS
    if action == "validate":
        p = load_policy(args.file)
        required = sum(1 for r in p.requirements if r.get("severity", "required") == "required")
        chain = f", extends {', '.join(p.chain[:-1])}" if len(p.chain) > 1 else ""
        print(f"{args.file}: valid policy '{p.name}': {len(p.requirements)} requirements ({required} required)"
              f"{chain}")
        return EXIT_PASS
    raise UsageError("policy: expected an action: 'policy list', 'policy show NAME' or 'policy validate FILE'")
