"""``check hf:OWNER/NAME`` and ``hf:datasets/OWNER/NAME`` against the fake Hub on 127.0.0.1.

End-to-end tests run the real command line in a subprocess whose ``HF_ENDPOINT`` points at the
fake (``huggingface_hub`` reads it at import), with a fresh ``HOME``/``HF_HOME`` so that no real
token or cache leaks in, and every proxy variable pointing at a closed local port with only
127.0.0.1 exempt, so that a request for any other host fails instead of reaching the internet.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time

import pytest

from conftest import EXAMPLES, ROOT
from fake_hub import FakeHub, lfs_pointer
from test_org import CARD, FIXTURE_NAMES, FIXTURES, MIT, _fixture_files

_DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens there: any request that is not for the fake fails


@pytest.fixture
def hub():
    server = FakeHub()
    server.start()
    yield server
    server.stop()


def hub_env(hub: FakeHub, home: pathlib.Path, token: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a user pointed at the fake Hub, and at nothing else."""
    env = {k: v for k, v in os.environ.items()
           if not k.upper().startswith(("HF_", "HUGGING_FACE_", "HUGGINGFACE_", "TRANSFORMERS_"))
           and k.upper() not in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "OPENNESS_GATE_DEBUG")}
    env.update({"HF_ENDPOINT": hub.url, "HF_HUB_DISABLE_TELEMETRY": "1", "HOME": str(home), "HF_HOME": str(home / "hf"),
                "NO_COLOR": "1", "HTTP_PROXY": _DEAD_PROXY, "HTTPS_PROXY": _DEAD_PROXY, "ALL_PROXY": _DEAD_PROXY,
                "NO_PROXY": "127.0.0.1,localhost"})
    if token is not None:
        env["HF_TOKEN"] = token
    env.update(extra)
    return env


def run_hf(hub: FakeHub, home: pathlib.Path, *args: str, token: str | None = None,
           **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openness_gate", *args], capture_output=True, text=True, cwd=ROOT,
                          env=hub_env(hub, home, token, **extra), timeout=120)


def folder_files(folder: pathlib.Path) -> dict[str, bytes]:
    files, links = _fixture_files(folder)
    assert not links, "the Hub has no symlinks; serve a folder without them"
    return files


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-2000:], proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def components(report: dict) -> dict[str, dict]:
    return {c["id"]: c for c in report["components"]}


# --- a model repository ---------------------------------------------------------------------------

def test_public_model_repository_is_checked_like_its_folder(hub, tmp_path):
    folder = EXAMPLES / "open-science-model"
    repo = hub.add_repo("acme/open-science-model", folder_files(folder))
    proc = run_hf(hub, tmp_path, "check", "hf:acme/open-science-model", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["target"] == {"kind": "huggingface", "path_or_repo": "acme/open-science-model",
                                "revision": repo.sha}
    local = json.loads(subprocess.run([sys.executable, "-m", "openness_gate", "check", str(folder), "--format", "json"],
                                      capture_output=True, text=True, cwd=ROOT).stdout)
    assert [(c["id"], c["status"]) for c in report["components"]] == \
           [(c["id"], c["status"]) for c in local["components"]]
    assert report["policy"]["score"] == local["policy"]["score"]
    assert report["inventory"]["files"] == local["inventory"]["files"]
    # LFS weights are listed with their real size from the Hub's metadata, and never fetched
    assert report["inventory"]["lfs_pointers"] == local["inventory"]["lfs_pointers"] > 0
    weights = components(report)["weights.pretrained"]
    assert weights["facts"]["total_size"] == components(local)["weights.pretrained"]["facts"]["total_size"]
    assert not [p for p in hub.reads() if p.endswith((".safetensors", ".bin", ".pt", ".ckpt"))]
    # every read is a ranged GET of the resolved commit; nothing else was asked of the server
    resolves = [r for r in hub.log if "/resolve/" in r.path]
    assert resolves and all(f"/resolve/{repo.sha}/" in r.path for r in resolves)
    assert all(r.range.startswith("bytes=0-") and int(r.range[8:]) <= 1 << 20 for r in resolves)
    assert hub.unexpected == [] and all(r.status in (200, 206) for r in hub.log)
    # the text report is the local one, but for the target line
    text = run_hf(hub, tmp_path, "check", "hf:acme/open-science-model")
    local_text = subprocess.run([sys.executable, "-m", "openness_gate", "check", str(folder)], capture_output=True,
                                text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
    assert text.returncode == local_text.returncode == 0
    target_line = text.stdout.splitlines()[1]
    assert target_line.startswith("acme/open-science-model") and repo.sha[:12] in target_line
    assert text.stdout.splitlines()[2:] == local_text.stdout.splitlines()[2:]


def test_licence_from_card_metadata_and_licence_file(hub, tmp_path):
    hub.add_repo("acme/tiny", {"README.md": CARD, "LICENSE": MIT, "config.json": '{"architectures": ["Tiny"]}'})
    proc = run_hf(hub, tmp_path, "check", "hf:acme/tiny", "--format", "json", "--policy", "minimal")
    assert proc.returncode == 0, proc.stderr
    lic = components(json.loads(proc.stdout))["distribution.license"]
    assert lic["status"] == "present" and "MIT" in lic["facts"]["spdx"]
    assert {e["path"] for e in lic["evidence"]} >= {"README.md", "LICENSE"}


def test_revision_by_tag_and_by_sha(hub, tmp_path):
    repo = hub.add_repo("acme/tiny", {"README.md": CARD, "LICENSE": MIT}, tags=("v1.0",))
    for rev in ("v1.0", repo.sha):
        proc = run_hf(hub, tmp_path, "check", f"hf:acme/tiny@{rev}", "--format", "json", "--policy", "minimal")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["target"]["revision"] == repo.sha
    assert any(r.path == "/api/models/acme/tiny/revision/v1.0" for r in hub.log)


# --- a dataset repository -------------------------------------------------------------------------

DATASET_CARD = """---
license: cc-by-4.0
task_categories:
- text-classification
language:
- en
size_categories:
- 10K<n<100K
---
# Dataset Card for tickets

## Dataset Description
Support tickets from one company, labelled with the queue that resolved them.

## Dataset Structure
One JSON line per ticket: `text`, `queue` (one of three), `created` (a date).

## Dataset Creation
Collected from the helpdesk between 2021 and 2023; personal data removed by hand.

## Considerations for Using the Data
English only; one company's vocabulary; queues reflect that company's organisation.

## Licensing Information
CC-BY-4.0.
"""


def test_dataset_repository(hub, tmp_path):
    files = {"README.md": DATASET_CARD, ".gitattributes": "*.parquet filter=lfs diff=lfs merge=lfs -text\n",
             "data/train-00000-of-00001.parquet": lfs_pointer(12_000_000, "train")}
    repo = hub.add_repo("acme/tickets", files, repo_type="dataset")
    proc = run_hf(hub, tmp_path, "check", "hf:datasets/acme/tickets", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["target"] == {"kind": "huggingface", "path_or_repo": "datasets/acme/tickets", "revision": repo.sha}
    found = components(report)
    assert found["docs.datasheet"]["status"] == "partial"  # the dataset card, scored against its template
    assert found["data.pretraining"]["facts"]["total_size"] == 12_000_000  # the LFS size, from the Hub
    assert "GET /api/datasets/acme/tickets" in hub.calls()
    assert hub.reads() == ["README.md"] and all(r.path.startswith(("/api/datasets/", "/datasets/")) for r in hub.log)
    # the same files in a folder: the same statuses
    folder = tmp_path / "tickets"
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(data) if isinstance(data, str) else (folder / path).write_bytes(data)
    local = subprocess.run([sys.executable, "-m", "openness_gate", "check", str(folder), "--format", "json"],
                           capture_output=True, text=True, cwd=ROOT)
    assert [(c["id"], c["status"]) for c in json.loads(local.stdout)["components"]] == \
           [(c["id"], c["status"]) for c in report["components"]]
    # a model of the same name does not exist: the message says how to name a dataset
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/tickets"))
    assert "not found" in line and "hf:datasets/OWNER/NAME" in line


# --- gated, missing, bad revision -----------------------------------------------------------------

def _gated(hub: FakeHub) -> None:
    hub.add_repo("acme/gated", {"README.md": CARD, "LICENSE": MIT, "model.safetensors": lfs_pointer(2_000_000, "g")},
                 gated="manual", allowed_tokens={"granted-token"},
                 safetensors={"parameters": {"BF16": 1_234_567}, "total": 1_234_567})


def test_gated_repository_with_a_granted_token(hub, tmp_path):
    _gated(hub)
    import jsonschema

    proc = run_hf(hub, tmp_path, "check", "hf:acme/gated", "--format", "json", token="granted-token")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    schema = json.loads((ROOT / "openness_gate" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(report, schema)  # Hub evidence (a URL, no path) and facts fit the report contract
    found = components(report)
    # Hub facts reach the report: the gate is the release type, the parameter count is weights evidence
    release = found["distribution.release_type"]
    assert release["facts"]["type"] == "gated" and release["facts"]["gating"] == "manual"
    assert release["evidence"][0]["url"] == f"{hub.url}/acme/gated" and "Hub" in release["evidence"][0]["reason"]
    weights = found["weights.pretrained"]
    assert weights["status"] == "present" and weights["facts"]["parameters"] == 1_234_567
    assert any("1,234,567 parameters" in e["reason"] for e in weights["evidence"])
    assert {r.token for r in hub.log} == {"granted-token"}


@pytest.mark.parametrize("token, who", [(None, "no token was sent"), ("reader-token", "has no access yet")])
def test_gated_repository_without_access(hub, tmp_path, token, who):
    _gated(hub)
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/gated", token=token))
    assert who in line
    assert f"request access on {hub.url}/acme/gated" in line and "set HF_TOKEN" in line


def test_missing_repository(hub, tmp_path):
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/nope"))
    assert line.startswith("openness-gate: error: hf:acme/nope: model repository not found")
    assert "HF_TOKEN" in line  # a private repository looks missing without a token
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:datasets/acme/nope", token="reader-token"))
    assert "dataset repository not found" in line


def test_bad_revision(hub, tmp_path):
    hub.add_repo("acme/tiny", {"README.md": CARD})
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/tiny@no-such-branch"))
    assert "revision 'no-such-branch' not found in acme/tiny" in line


@pytest.mark.parametrize("target", ["hf:acme", "hf:acme/x/y", "hf:../etc/passwd", "hf:acme/x@", "hf:a/b c"])
def test_malformed_target(hub, tmp_path, target):
    line = one_line_error(run_hf(hub, tmp_path, "check", target))
    assert "expected hf:OWNER/NAME" in line
    assert hub.log == []


def test_spaces_are_refused_with_a_reason(hub, tmp_path):
    assert "Spaces are not checked" in one_line_error(run_hf(hub, tmp_path, "check", "hf:spaces/acme/demo"))


def test_offline_mode_is_a_usage_error(hub, tmp_path):
    hub.add_repo("acme/tiny", {"README.md": CARD})
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/tiny", HF_HUB_OFFLINE="1"))
    assert "HF_HUB_OFFLINE" in line and hub.log == []


def test_a_refused_token_is_named(hub, tmp_path):
    hub.add_repo("acme/tiny", {"README.md": CARD})
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/tiny", token="revoked-token"))
    assert "refused the token in HF_TOKEN" in line


# --- faults ---------------------------------------------------------------------------------------

def test_a_502_is_retried(hub, tmp_path):
    hub.add_repo("acme/tiny", {"README.md": CARD, "LICENSE": MIT})
    hub.fail_next(1, 502)
    proc = run_hf(hub, tmp_path, "check", "hf:acme/tiny", "--policy", "minimal")
    assert proc.returncode == 0, proc.stderr
    assert [(r.path, r.status) for r in hub.log[:2]] == [("/api/models/acme/tiny", 502), ("/api/models/acme/tiny", 200)]


def test_faults_on_a_file_read_are_retried(hub, tmp_path):
    hub.add_repo("acme/tiny", {"README.md": CARD, "LICENSE": MIT})
    hub.fail_next(1, 503, path="/resolve/")
    hub.rate_limit_next(1, retry_after=0, path="/resolve/")
    proc = run_hf(hub, tmp_path, "check", "hf:acme/tiny", "--policy", "minimal")
    assert proc.returncode == 0, proc.stderr
    first_read = [(r.path, r.status) for r in hub.log if "/resolve/" in r.path][:3]
    assert [status for _, status in first_read] == [503, 429, 206] and len({p for p, _ in first_read}) == 1


def test_rate_limited_for_good_is_one_line_after_a_few_tries(hub, tmp_path):
    from openness_gate.sources.huggingface import ATTEMPTS

    hub.add_repo("acme/tiny", {"README.md": CARD})
    hub.rate_limited = True
    start = time.monotonic()
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/tiny"))
    assert "rate-limited by the Hub (HTTP 429)" in line and f"after {ATTEMPTS} attempts" in line
    assert "set HF_TOKEN" in line  # anonymous: a token raises the limit
    assert [r.status for r in hub.log] == [429] * ATTEMPTS
    assert time.monotonic() - start < 30


def test_a_long_retry_after_is_not_waited_for(hub, tmp_path):
    hub.add_repo("acme/tiny", {"README.md": CARD})
    hub.rate_limited, hub.retry_after = True, 3600
    start = time.monotonic()
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/tiny", token="reader-token"))
    assert "rate-limited by the Hub (HTTP 429), which asks to wait 3600 s" in line
    assert len(hub.log) == 1 and time.monotonic() - start < 30


def test_server_errors_for_good_are_one_line(hub, tmp_path):
    from openness_gate.sources.huggingface import ATTEMPTS

    hub.add_repo("acme/tiny", {"README.md": CARD})
    hub.fail_next(ATTEMPTS, 503, retry_after=0)  # a 5xx's Retry-After is honoured too (here: at once)
    line = one_line_error(run_hf(hub, tmp_path, "check", "hf:acme/tiny"))
    assert f"the Hub answered HTTP 503 after {ATTEMPTS} attempts" in line
    assert [r.status for r in hub.log] == [503] * ATTEMPTS


# --- cost: requests per repository ----------------------------------------------------------------

def thousand_files() -> dict[str, bytes | str]:
    """A 1,000-file model repository: a card, a licence, configs, a little code, 40 weight shards
    with their index, and 950 intermediate checkpoints, all weights in LFS."""
    files: dict[str, bytes | str] = {"README.md": CARD, "LICENSE": MIT, ".gitattributes":
                                     "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
                                     "config.json": '{"architectures": ["TinyForCausalLM"], "model_type": "tiny"}',
                                     "generation_config.json": '{"max_new_tokens": 64}',
                                     "tokenizer_config.json": '{"model_max_length": 2048}',
                                     "modeling_tiny.py": "import torch\n\nclass TinyForCausalLM(torch.nn.Module):\n"
                                                         "    pass\n",
                                     "configuration_tiny.py": "class TinyConfig:\n    model_type = 'tiny'\n",
                                     "eval/results.json": '{"results": {"hellaswag": {"acc": 0.41}}}'}
    shards = [f"model-{i:05d}-of-00040.safetensors" for i in range(1, 41)]
    files["model.safetensors.index.json"] = json.dumps({"metadata": {"total_size": 40 * 100_000_000},
                                                        "weight_map": {f"layer.{i}": s for i, s in enumerate(shards)}})
    for s in shards:
        files[s] = lfs_pointer(100_000_000, s)
    step = 0
    while len(files) < 1000:
        step += 1
        files[f"checkpoints/step-{step * 1000}/model.safetensors"] = lfs_pointer(50_000_000, str(step))
    assert len(files) == 1000
    return files


MAX_REQUESTS_FOR_1000_FILES = 20


@pytest.mark.parametrize("listing", ["info", "tree"])
def test_a_thousand_file_repository_costs_few_requests(hub, tmp_path, listing):
    hub.add_repo("acme/big", thousand_files())
    hub.siblings_in_info = listing == "info"  # "tree": a Hub whose info answer leaves the file list out
    proc = run_hf(hub, tmp_path, "check", "hf:acme/big", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["inventory"]["files"] == 1000 and report["inventory"]["lfs_pointers"] == 990
    found = components(report)
    assert found["weights.pretrained"]["status"] == "present"
    assert found["weights.pretrained"]["facts"]["total_size"] == 40 * 100_000_000
    assert found["weights.intermediate"]["status"] == "present"
    listing_calls = [r for r in hub.log if r.path.startswith("/api/")]
    assert len(listing_calls) == (1 if listing == "info" else 3)  # info; info + two tree pages (1,000 a page)
    print(f"\n{listing}: {len(hub.log)} requests for 1,000 files ({len(listing_calls)} listing, "
          f"{len(hub.reads())} file reads)")
    assert len(hub.log) <= MAX_REQUESTS_FOR_1000_FILES, hub.calls()


def test_tree_pagination_follows_every_page(hub, tmp_path):
    hub.add_repo("acme/big", thousand_files())
    hub.siblings_in_info, hub.page_size = False, 100
    proc = run_hf(hub, tmp_path, "check", "hf:acme/big", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads(proc.stdout)["inventory"]["files"] == 1000
    pages = [r for r in hub.log if "/tree/" in r.path]
    entries = 1000 + len(hub.repos[("model", "acme/big")].dirs())  # the recursive tree lists folders too
    assert len(pages) == -(-entries // 100) and pages[-1].query.get("cursor") == [str(entries - entries % 100)]


def test_a_fault_on_a_tree_page_is_retried_quietly(hub, tmp_path):
    hub.add_repo("acme/big", thousand_files())
    hub.siblings_in_info = False
    hub.fail_next(1, 502, path="/tree/")  # retried by the library's own pagination
    proc = run_hf(hub, tmp_path, "check", "hf:acme/big", "--format", "json")
    assert proc.returncode in (0, 1) and proc.stderr == ""  # the library's retry warnings are not shown
    assert json.loads(proc.stdout)["inventory"]["files"] == 1000
    assert [r.status for r in hub.log if "/tree/" in r.path][:2] == [502, 200]


# --- the read cap and budget ----------------------------------------------------------------------

def test_reads_are_capped_with_a_range(hub, tmp_path):
    big_card = CARD + "\n## More\n" + ("words " * 200_000)
    hub.add_repo("acme/long", {"README.md": big_card, "LICENSE": MIT})
    proc = run_hf(hub, tmp_path, "check", "hf:acme/long", "--format", "json", "--text-cap", "64K")
    assert proc.returncode in (0, 1), proc.stderr
    readme = [r for r in hub.log if r.path.endswith("/README.md")]
    assert [r.range for r in readme] == [f"bytes=0-{64 * 1024}"] and readme[0].status == 206
    partial = {p["path"]: p["reason"] for p in json.loads(proc.stdout)["inventory"]["partial"]}
    assert partial["README.md"].startswith("read the first 65536 bytes of")


def test_read_budget_degrades_with_a_reason_and_keeps_reads_for_cards(hub):
    from huggingface_hub import HfApi

    from openness_gate.sources import huggingface

    scripts = {f"src/step_{i}.py": f"print({i})\n" for i in range(5)}
    hub.add_repo("acme/tiny", {"README.md": CARD, "LICENSE": MIT, **scripts})
    inv = huggingface.load("acme/tiny", api=HfApi(endpoint=hub.url, token=False), max_fetches=4, reserved=2)
    assert [inv.text(p) is not None for p in sorted(scripts)] == [True, True, False, False, False]
    assert inv.read_text("src/step_2.py").note == "not fetched: the remote read budget of 4 files is spent"
    assert inv.text("README.md").startswith("---\nlicense: mit")  # the reserved reads: cards, licences, root
    assert inv.text("LICENSE").startswith("MIT License")
    assert set(inv.incomplete) == {"src/step_2.py", "src/step_3.py", "src/step_4.py"}  # the verdict says so
    assert inv.read_text("missing.md").note == "not in the repository listing"
    assert len(hub.reads()) == 4


# --- parity with a local check --------------------------------------------------------------------

def test_local_and_hub_verdicts_agree_on_every_detector_fixture(hub, monkeypatch):
    """The same folder checked locally and through the Hub gives the same 30 statuses. The
    fixtures are served un-gated and without parameter counts: those Hub facts legitimately
    add evidence (and a gate would change the release type), and are tested above."""
    from huggingface_hub import HfApi

    from openness_gate.checker import check_inventory
    from openness_gate.sources import huggingface, local

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert len(FIXTURE_NAMES) >= 25
    api = HfApi(endpoint=hub.url, token=False)
    disagreements = []
    for name in FIXTURE_NAMES:
        hub.add_repo(f"acme/{name}", folder_files(FIXTURES / name))
        here = check_inventory(local.load(str(FIXTURES / name)))
        there = check_inventory(huggingface.load(f"acme/{name}", api=api))
        assert there.target.kind == "huggingface" and there.target.path_or_repo == f"acme/{name}"
        assert len(there.components) == len(here.components) == 30
        for a, b in zip(here.components, there.components):
            if (a.component, a.status) != (b.component, b.status):
                disagreements.append(f"{name}: {a.component} local={a.status} hub={b.status}")
        if here.policy.passed != there.policy.passed or here.policy.score != there.policy.score:
            disagreements.append(f"{name}: policy local={here.policy.score} hub={there.policy.score}")
    assert disagreements == []
    assert hub.unexpected == []


# --- reports, other commands, imports -------------------------------------------------------------

def test_repository_strings_are_escaped_in_html_and_markdown(hub, tmp_path):
    card = CARD.replace("# Model Card for tiny", "# Model Card for <img src=x onerror=alert(1)> @everyone")
    hub.add_repo("acme/tiny", {"README.md": card, "LICENSE": MIT, "docs/<b>bold</b>.md": "# <script>x</script>\n",
                               "model.safetensors": lfs_pointer(1000, "m")}, gated="auto", allowed_tokens={"t"},
                 safetensors={"parameters": {"<i>F32</i>": 10}, "total": 10})
    hub.tokens.add("t")
    for fmt in ("html", "markdown"):
        proc = run_hf(hub, tmp_path, "check", "hf:acme/tiny", "--format", fmt, token="t")
        assert proc.returncode in (0, 1), proc.stderr
        for raw in ("<img src=x", "<b>bold</b>", "<script>", "<i>F32</i>"):
            assert raw not in proc.stdout, (fmt, raw)


def test_mot_export_accepts_a_hub_target(hub, tmp_path):
    import yaml

    hub.add_repo("acme/open-science-model", folder_files(EXAMPLES / "open-science-model"), tags=("v1",))
    proc = run_hf(hub, tmp_path, "mot", "export", "hf:acme/open-science-model@v1")
    assert proc.returncode == 0, proc.stderr
    doc = yaml.safe_load(proc.stdout)
    assert doc["release"]["name"] == "open-science-model"
    local = subprocess.run([sys.executable, "-m", "openness_gate", "mot", "export", str(EXAMPLES / "open-science-model")],
                           capture_output=True, text=True, cwd=ROOT)
    assert yaml.safe_load(local.stdout)["release"]["components"] == doc["release"]["components"]


def test_a_local_check_never_imports_the_hub_client():
    code = ("import sys; from openness_gate.checker import check; check(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('huggingface_hub', 'httpx', 'httpx2', 'httpcore', "
            "'httpcore2', 'anyio', 'hf_xet')))")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "open-science-model")], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_parse_spec():
    from openness_gate.sources.huggingface import HubSpec, parse_spec

    assert parse_spec("acme/tiny") == HubSpec("model", "acme/tiny", None)
    assert parse_spec("models/acme/tiny@refs/pr/1") == HubSpec("model", "acme/tiny", "refs/pr/1")
    assert parse_spec("datasets/acme/c4@main").display == "datasets/acme/c4"
    assert parse_spec("datasets/acme/c4@main").target == "hf:datasets/acme/c4@main"


def test_server_text_in_an_error_is_one_plain_line():
    from openness_gate.sources.huggingface import _one_line

    line = _one_line("Bad\n\x1b[31mGateway\x07 " + "x" * 400, 40)
    assert line.isprintable() and len(line) == 40 and line.startswith("Bad  [31mGateway") and line.endswith("x…")
