"""Judge findings against a resolved policy: requirement outcomes, waivers, score, level, verdict.

Everything a report shows about the verdict is decided here and nowhere else. Each requirement
gets a message that says what was found (status, completeness, licence) so a reader never has
to guess why it failed, and a fix taken from the policy or, failing that, from the taxonomy.
"""

from __future__ import annotations


from openness_gate import taxonomy
from openness_gate.errors import ConfigError
from openness_gate.findings import Finding
from openness_gate.policy import config as cfg
from openness_gate.policy import licences, mof, mot
from openness_gate.policy.licences import RepoLicence
from openness_gate.policy.load import Policy
from openness_gate.result import FAIL, PASS, REQUIRED, WAIVED, PolicyResult, RequirementResult, Waiver

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from typing import Any, Mapping, Sequence

DEFAULT_SEVERITY_WEIGHTS = {"required": 3.0, "recommended": 1.0}
MAX_SECTIONS_SHOWN = 6
LICENCE_FIX = ("Release it under a licence this policy accepts — open licences that fit the content: code e.g. "
               "Apache-2.0 or MIT; data and weights e.g. CDLA-Permissive-2.0 or CC-BY-4.0; documents e.g. "
               "CC-BY-4.0 — and declare it (`license:` in the card, or per artefact under `artifacts:` in "
               ".openness.yml).")


def _title(cid: str) -> str:
    return taxonomy.get(cid).title


def _either(words: Sequence[str]) -> str:
    """'present', 'present or linked', 'present, partial or linked'."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _describe(f: Finding) -> str:
    out = f"{_title(f.component)}: {f.status}"
    comp = f.facts.get("completeness")
    if isinstance(comp, (int, float)):
        out += f" (completeness {comp:.2f})"
    where = next((e.path or e.url for e in f.evidence if e.path or e.url), None) if f.found else None
    out += f" in {where}" if where else ""
    todo = f.facts.get("sections_to_fill") if f.status == "partial" else None
    if isinstance(todo, list) and todo:
        shown = ", ".join(f'"{t}"' for t in todo[:MAX_SECTIONS_SHOWN])
        out += f"; sections to fill: {shown}" + (f" and {len(todo) - MAX_SECTIONS_SHOWN} more"
                                                  if len(todo) > MAX_SECTIONS_SHOWN else "")
    return out


def _license_problem(rule: Mapping[str, Any], infos: Sequence[RepoLicence]) -> str | None:
    """Why these licences break the rule, or None when every one of them is acceptable."""
    if not infos:
        return "no licence found"
    allow_c, deny_c = set(rule.get("allow_classes") or ()), set(rule.get("deny_classes") or ())
    allow_i = {x.lower() for x in rule.get("allow_ids") or ()}
    deny_i = {x.lower() for x in rule.get("deny_ids") or ()}
    mof_type = rule.get("mof_type")
    for lic in infos:
        lid, classes = lic.id, lic.classes
        label = f"licence {lic.label} ({', '.join(classes)})"
        if lid.lower() in deny_i or set(classes) & deny_c:
            return f"{label} is not acceptable under this policy"
        if (allow_c or allow_i) and not (set(classes) & allow_c or lid.lower() in allow_i):
            wanted = ", ".join(sorted(allow_c) + sorted(rule.get("allow_ids") or ()))
            return f"{label} is not one of the accepted kinds ({wanted})"
        if rule.get("mof_open") or mof_type:
            if not mot.is_open(lic.mot_id):
                return f"licence {lic.label} is not an open licence for the Model Openness Framework"
            if mof_type and lic.mot_id not in mot.facts().type_appropriate[mof_type]:
                return f"licence {lic.label} is open but not a type-appropriate licence for {mof_type} under MOF"
    return None


class _Judge:
    def __init__(self, policy: Policy, findings: Sequence[Finding], config: Mapping[str, Any]) -> None:
        self.policy = policy
        self.by_id = {f.component: f for f in findings}
        self.config = config
        self.licence_issue = False
        self.repo_licenses = licences.from_finding(self.by_id.get("distribution.license"))
        uses_mof = policy.levels == "mof" or any("mof" in r for r in policy.requirements)
        self.mof_entries = mof.inventory(findings, config, policy.accept) if uses_mof else []
        self.mof = mof.classify(self.mof_entries) if uses_mof else None

    def licenses_for(self, cid: str) -> list[RepoLicence]:
        declared = cfg.declared_licenses(self.config, cid) if cid != "distribution.license" else []
        if declared:
            return [licences.lookup(d) for d in declared]
        return licences.applicable(self.repo_licenses, licences.content_type(cid))

    def component(self, cid: str, req: Mapping[str, Any]) -> tuple[bool, str]:
        f = self.by_id.get(cid) or Finding(cid, "missing")
        accept = tuple(req.get("accept") or self.policy.accept)
        detail = _describe(f)
        if f.status not in accept:
            return False, detail + (f"; this policy accepts {_either(accept)}" if f.found else "")
        need = req.get("min_completeness")
        if need is not None:
            got = f.facts.get("completeness")
            if not isinstance(got, (int, float)) or got < need:
                return False, f"{detail}: completeness below the required {need:.2f}"
        if req.get("license"):
            rule = licences.rule_for(req["license"], licences.content_type(cid))
            problem = _license_problem(rule, self.licenses_for(cid))
            if problem:
                self.licence_issue = True
                return False, f"{detail}, but {problem}"
        return True, detail

    def mof_component(self, name: str) -> tuple[bool, str, tuple[str, ...]]:
        comp = mot.facts().component(name)
        if comp is None or self.mof is None:
            raise ConfigError(f"{self.policy.source}: mof: unknown MOF component '{name}' (expected one of: "
                              f"{', '.join(c.name for c in mot.facts().components)})")
        status = self.mof.status.get(name, mot.MISSING)
        lic = self.mof.licenses.get(name)
        if status == mot.INCLUDED:
            warn = next((w for w in self.mof.warnings if w.startswith(name + ":")), None)
            msg = f"{name}: included under {lic}" + (f" (warning: {warn[len(name) + 2:]})" if warn else "")
            return True, msg, comp.sources
        if name == mot.TECHNICAL_REPORT and self.mof.status.get(mot.RESEARCH_PAPER) == mot.INCLUDED:
            return True, f"{name}: not found; the research paper stands in for it, as MOF allows", comp.sources
        if status in (mot.INVALID, mot.UNLICENSED):
            self.licence_issue = True
        if status == mot.INVALID:
            return False, f"{name}: found, but its licence {lic} is not an open licence for MOF", comp.sources
        if status == mot.UNLICENSED:
            return False, f"{name}: found, but no licence applies to it", comp.sources
        seen = [self.by_id[c] for c in comp.sources if c in self.by_id and self.by_id[c].found]
        if seen:  # evidence exists but does not count: say what and why
            why = (f"this policy accepts {_either(self.policy.accept)}" if not any(
                f.status in self.policy.accept for f in seen) else f"not a {' or '.join(comp.kinds)}")
            return False, f"{name}: not counted ({_describe(seen[0])}; {why})", comp.sources
        return False, f"{name}: not found", comp.sources

    def judge(self, req: Mapping[str, Any]) -> tuple[bool, str, tuple[str, ...]]:
        self.licence_issue = False  # set when a failure is about the licence, not the artefact
        if "mof" in req:
            return self.mof_component(req["mof"])
        if "component" in req:
            ok, detail = self.component(req["component"], req)
            return ok, detail, (req["component"],)
        group = tuple(req.get("all_of") or req.get("any_of") or ())
        results = [(cid, *self.component(cid, req)) for cid in group]
        if "all_of" in req:
            bad = [d for _, ok, d in results if not ok]
            return not bad, "; ".join(bad) if bad else "all found: " + "; ".join(d for _, _, d in results), group
        good = [d for _, ok, d in results if ok]
        if good:
            return True, good[0], group
        return False, "none found: " + "; ".join(d for _, _, d in results), group


def _fix(req: Mapping[str, Any], comps: Sequence[str], judge: _Judge, ok: bool) -> str:
    if req.get("fix"):
        return req["fix"]
    if judge.licence_issue and not ok:
        return LICENCE_FIX
    for cid in comps:
        f = judge.by_id.get(cid)
        if f is None or not f.found:
            return taxonomy.get(cid).fix
    return taxonomy.get(comps[0]).fix if comps else ""


def _apply_waiver(rr: RequirementResult, waivers: Sequence[Waiver], kinds: Mapping[Waiver, str],
                  locked_by: str | None) -> RequirementResult:
    from openness_gate.record import replace

    def matches(w: Waiver) -> bool:
        if kinds[w] == "requirement":
            return w.target == rr.id
        return w.target in rr.components

    mine = [w for w in waivers if matches(w)]
    if rr.outcome != FAIL or not mine:
        return rr
    active = [w for w in mine if not w.expired]
    if active and locked_by:
        return replace(rr, waiver=active[0], message=f"{rr.message}; waiver not applied: this requirement is "
                                                     f"locked by {locked_by}")
    if active:
        w = active[0]
        until = f" until {w.expires}" if w.expires else ""
        return replace(rr, outcome=WAIVED, waiver=w, message=f"{rr.message}; waived{until}: {w.reason}")
    w = mine[0]
    return replace(rr, waiver=w, message=f"{rr.message}; the waiver expired on {w.expires} ({w.reason})")


def _weight(req: Mapping[str, Any], rr: RequirementResult, scoring: Mapping[str, Any]) -> tuple[float, str]:
    dim = taxonomy.get(rr.components[0]).dimension if rr.components else "documentation"
    if req.get("weight") is not None:
        return float(req["weight"]), dim
    sev = {**DEFAULT_SEVERITY_WEIGHTS, **(scoring.get("severity") or {})}
    return float(sev[rr.severity]) * float((scoring.get("dimensions") or {}).get(dim, 1.0)), dim


def _score(policy: Policy, reqs: Sequence[Mapping[str, Any]], results: Sequence[RequirementResult],
           judge: _Judge) -> int:
    if policy.levels == "mof" and judge.mof is not None:
        return round(sum(judge.mof.progress.values()) / 3)
    per_dim: dict[str, list[float]] = {}
    for req, rr in zip(reqs, results):
        if rr.outcome == WAIVED:
            continue  # an accepted exception neither earns nor costs points
        w, dim = _weight(req, rr, policy.scoring)
        acc = per_dim.setdefault(dim if policy.scoring.get("balance") == "dimensions" else "all", [0.0, 0.0])
        acc[1] += w
        acc[0] += w if rr.outcome == PASS else 0.0
    ratios = [got / total for got, total in per_dim.values() if total > 0]
    return round(100 * sum(ratios) / len(ratios)) if ratios else 100


def _level(policy: Policy, score: int, results: Sequence[RequirementResult], passed: bool,
           judge: _Judge) -> tuple[str | None, list[str]]:
    """(level reached, all level names from lowest to highest)."""
    if policy.levels == "mof":
        return (judge.mof.short_label if judge.mof else None), policy.level_names
    outcome = {r.id: r.outcome for r in results}
    reached = None
    levels = policy.levels or []
    for lv in levels:
        ok = (lv.get("min_score") is None or score >= lv["min_score"]) \
            and all(outcome.get(rid) == PASS for rid in lv.get("requires") or ()) \
            and (not lv.get("policy_passed") or passed)
        if not ok:
            break
        reached = lv["name"]
    return reached, policy.level_names


#: the requirement a policy with ``incomplete: fail`` adds: every read the verdict rests on was made
COMPLETE_READING = "complete-reading"


def evaluate(policy: Policy, findings: Sequence[Finding], config: Mapping[str, Any] | None = None,
             today: _dt.date | None = None, incomplete: Mapping[str, str] | None = None) -> PolicyResult:
    """``incomplete``: what limits or faults stopped (``Inventory.incomplete``); it fails the
    verdict only under ``incomplete: fail``, and never changes the score."""
    config = config or {}
    judge = _Judge(policy, findings, config)
    waivers = cfg.waivers(config, today)
    kinds = {w: cfg.waiver_kind(config, w) for w in waivers}
    results: list[RequirementResult] = []
    for req in policy.requirements:
        ok, detail, comps = judge.judge(req)
        message = f"{req['message']} ({detail})" if req.get("message") else detail
        rr = RequirementResult(req["id"], req.get("component") or (comps[0] if len(comps) == 1 else None),
                               req.get("severity", REQUIRED), PASS if ok else FAIL, message,
                               _fix(req, comps, judge, ok), tuple(comps))
        locked_by = policy.locked_by.get(req["id"]) if req.get("locked") else None
        results.append(_apply_waiver(rr, waivers, kinds, locked_by))
    score = _score(policy, policy.requirements, results, judge)
    if policy.incomplete == "fail":
        results.append(_complete_reading(incomplete or {}))
    passed = not any(r.outcome == FAIL and r.severity == REQUIRED for r in results)
    level, names = _level(policy, score, results, passed, judge)
    if policy.pass_level:
        need = names.index(policy.pass_level)
        passed = passed and level is not None and names.index(level) >= need
    extra: dict[str, Any] = {}
    if judge.mof is not None:
        extra["mof"] = {**judge.mof.to_json(), "licenses": dict(judge.mof.licenses)}
    if policy.pass_level:
        extra["pass_level"] = policy.pass_level
    covered = {r.id for r in results} | {c for r in results for c in r.components}
    unmatched = [w.target for w in waivers if w.target not in covered]
    if unmatched:  # a waiver for nothing is most likely a typo: say so rather than ignore it
        extra["waivers_matching_nothing"] = unmatched
    return PolicyResult(policy.name, passed, score, level, tuple(results), waivers, policy.source, extra)


def _complete_reading(incomplete: Mapping[str, str]) -> RequirementResult:
    if not incomplete:
        return RequirementResult(COMPLETE_READING, None, REQUIRED, PASS,
                                 "every read the verdict rests on was made", "")
    first = next(iter(sorted(incomplete)))
    return RequirementResult(
        COMPLETE_READING, None, REQUIRED, FAIL,
        f"the verdict is incomplete: {len(incomplete)} file(s) or folder(s) were not read ({first}: "
        f"{incomplete[first]})",
        "check a local clone, or give the remote check what it lacked (GITHUB_TOKEN for the rate limit, "
        "a smaller repository, a retry after a fault); the policy's `incomplete: fail` asks for a complete read")
