"""The component taxonomy: the 30 public component ids of DESIGN §2, as data.

This module is the only place that lists the components. Everything else (detectors,
policies, reports, the JSON schema test) iterates over ``COMPONENTS`` or looks ids up here,
so adding a component is a one-line change plus a schema version bump.
"""

from __future__ import annotations

from openness_gate.record import record


#: The six dimensions of the AI stack (Columbia Convening on Openness and AI, 2024), in report order.
DIMENSIONS: tuple[str, ...] = ("code", "data", "weights", "documentation", "distribution", "guardrails")

DIMENSION_TITLES: dict[str, str] = {
    "code": "Code",
    "data": "Data",
    "weights": "Weights",
    "documentation": "Documentation",
    "distribution": "Distribution",
    "guardrails": "Guardrails",
}

#: Component statuses, from most to least evidence. ``present``: evidence in the repository;
#: ``partial``: present but incomplete; ``linked``: an explicit reference to an external
#: artefact; ``missing``: nothing found.
STATUSES: tuple[str, ...] = ("present", "partial", "linked", "missing")


@record
class Component:
    id: str
    dimension: str
    title: str
    description: str
    fix: str
    mof: str | None = None  # the Model Openness Framework component it maps to, if any


def _c(id: str, title: str, description: str, fix: str, mof: str | None = None) -> Component:
    prefix = id.split(".", 1)[0]
    dimension = {"docs": "documentation"}.get(prefix, prefix)
    return Component(id, dimension, title, description, fix, mof)


COMPONENTS: tuple[Component, ...] = (
    # --- code ---
    _c("code.preprocessing", "Data preprocessing code",
       "Scripts that clean, filter, deduplicate or tokenise the training data.",
       "Publish the data preparation scripts (e.g. `scripts/preprocess.py` or `data_prep/`).",
       "Data preprocessing code"),
    _c("code.training", "Training code",
       "Pre-training scripts, notebooks, training configs and launch scripts.",
       "Publish the training loop and its configs (e.g. `train.py`, `configs/`).",
       "Training code"),
    _c("code.fine_tuning", "Fine-tuning code",
       "Supervised fine-tuning, RLHF, DPO or LoRA code.",
       "Publish the fine-tuning / alignment code (e.g. `finetune/sft.py`, `dpo.py`).",
       "Training code"),
    _c("code.inference", "Inference code",
       "Code or notebooks that load the model and generate outputs.",
       "Add an inference example (e.g. `inference.py` or a usage snippet in the model card).",
       "Inference code"),
    _c("code.evaluation", "Evaluation code",
       "Benchmark and evaluation scripts or harness configurations.",
       "Publish the evaluation scripts or harness configs used for the reported results (e.g. `eval/`).",
       "Evaluation code"),
    _c("code.architecture", "Model architecture",
       "The model definition: modelling code or a config naming the architecture.",
       "Publish the model definition (`modeling_*.py`, or `config.json` with `architectures`).",
       "Model architecture"),
    _c("code.libraries", "Supporting libraries and tools",
       "Training libraries and distributed-computing or infrastructure configs (DeepSpeed, FSDP, Megatron, Slurm).",
       "Publish the supporting libraries and infrastructure configs (e.g. `ds_config.json`, Slurm scripts).",
       "Supporting libraries and tools"),
    # --- data ---
    _c("data.pretraining", "Pre-training data",
       "Pre-training data released in the repository or precisely referenced.",
       "Release the pre-training data or reference it precisely (`datasets:` in the model card, a dataset URL).",
       "Datasets"),
    _c("data.fine_tuning", "Fine-tuning data",
       "Supervised fine-tuning data released or precisely referenced.",
       "Release or precisely reference the fine-tuning data.",
       "Datasets"),
    _c("data.preference", "Preference data",
       "Preference or reward-modelling data released or precisely referenced.",
       "Release or precisely reference the preference / reward data.",
       "Datasets"),
    _c("data.evaluation", "Evaluation data",
       "The data the model was evaluated on, released or precisely referenced.",
       "Release or precisely reference the evaluation datasets (name, version, split).",
       "Evaluation data"),
    # --- weights ---
    _c("weights.pretrained", "Final weights",
       "The final model parameters (safetensors, bin, gguf, onnx, ckpt…; LFS pointers count).",
       "Publish the final weights in the repository (prefer safetensors) or link them on a model hub.",
       "Model parameters (Final)"),
    _c("weights.intermediate", "Intermediate checkpoints",
       "Checkpoints saved during training.",
       "Publish intermediate checkpoints (e.g. `checkpoints/step-1000/`) or list their revisions.",
       "Model parameters (Intermediate)"),
    _c("weights.adapted", "Adapted weights",
       "Weights adapted to a downstream task (fine-tuned / instruction-tuned variants).",
       "Publish the task-adapted weights or link them.",
       "Model parameters (Final)"),
    _c("weights.adapter", "Adapters and compressed weights",
       "PEFT / LoRA adapters and quantised variants.",
       "Publish adapters (`adapter_config.json` + `adapter_model.safetensors`) or quantised variants."),
    _c("weights.reward", "Reward-model weights",
       "Weights of the reward model used in alignment.",
       "Publish the reward model's weights or link them."),
    # --- documentation ---
    _c("docs.model_card", "Model card",
       "A model card (Hugging Face front matter or a dedicated document), scored for completeness.",
       "Add a model card (`README.md` with Hugging Face front matter, or `MODEL_CARD.md`) filling the standard sections.",
       "Model card"),
    _c("docs.datasheet", "Datasheet / data card",
       "A datasheet, data card, dataset card or Croissant metadata for the training data.",
       "Add a datasheet for the training data (e.g. `DATASHEET.md` following Datasheets for Datasets).",
       "Data card"),
    _c("docs.evaluation", "Evaluation results",
       "Evaluation results: model-index metadata, result tables, harness result files.",
       "Publish evaluation results (`model-index` in the card, a results table, or harness JSON output).",
       "Evaluation results"),
    _c("docs.red_teaming", "Red-teaming results",
       "Red-teaming or safety-evaluation results.",
       "Publish red-teaming or safety-evaluation results (e.g. `docs/safety_evaluation.md`)."),
    _c("docs.publication", "Paper or technical report",
       "A paper, technical report, CITATION.cff or BibTeX for this model.",
       "Add `CITATION.cff` and link the paper or technical report (arXiv id or DOI) in the model card.",
       "Research paper"),
    _c("docs.changelog", "Change log",
       "A change log or release notes.",
       "Add a `CHANGELOG.md` or release notes."),
    # --- distribution ---
    _c("distribution.license", "Licence",
       "Licence files and declared licences, identified (SPDX or a named model licence) and classified.",
       "Add a `LICENSE` file with the full licence text and declare it (`license:` in the model card front matter)."),
    _c("distribution.use_policy", "Use policy",
       "An acceptable-use policy or use restrictions (RAIL attachments, USE_POLICY.md).",
       "If the model has use restrictions, publish them (`USE_POLICY.md`); otherwise state that there are none."),
    _c("distribution.release_type", "Release type",
       "How the model is released: open, gated, staged or API-only.",
       "State how the model is released (open download, gated, staged, API-only) in the model card."),
    _c("distribution.feedback", "Feedback channel",
       "A channel for reports and redress (SECURITY.md, issue templates, contact).",
       "Add `SECURITY.md` or an issue template, and a contact in the model card."),
    # --- guardrails ---
    _c("guardrails.aligned_weights", "Safety-aligned weights",
       "Safety- or instruction-aligned weights.",
       "Publish safety-aligned weights (e.g. an instruct/chat variant) and say how they were aligned."),
    _c("guardrails.programmable", "Programmable guardrails",
       "Programmable guardrails such as rails configurations.",
       "Publish guardrail configurations (e.g. a rails `config.yml` with Colang flows)."),
    _c("guardrails.safety_classifier", "Safety classifier",
       "Safeguard models, safety classifiers and moderation policies.",
       "Publish or link a safety classifier / moderation policy used with the model."),
    _c("guardrails.system_prompt", "System prompt",
       "Published system prompts or chat templates with safety instructions.",
       "Publish the system prompt or chat template used in deployment (e.g. `chat_template.jinja`)."),
)

BY_ID: dict[str, Component] = {c.id: c for c in COMPONENTS}


def get(component_id: str) -> Component:
    """Return the component for ``component_id``; KeyError names the unknown id."""
    try:
        return BY_ID[component_id]
    except KeyError:
        raise KeyError(f"unknown component id {component_id!r}") from None


def in_dimension(dimension: str) -> tuple[Component, ...]:
    return tuple(c for c in COMPONENTS if c.dimension == dimension)


assert len(COMPONENTS) == 30 and all(c.dimension in DIMENSIONS for c in COMPONENTS)
