"""Section templates (as data) for the documents we score for completeness.

Each maps a section key to the normalised heading titles that introduce it (see
``completeness.normalise_title``); a heading matches a title exactly, or starts with it.
Sources: the Hugging Face model and dataset card templates, Datasheets for Datasets (Gebru
et al.), Google's Data Cards playbook, and the headings real model cards use instead.
"""

from __future__ import annotations

MODEL_CARD: dict[str, tuple[str, ...]] = {
    "model_details": ("model details", "model description", "model summary", "model overview", "overview",
                      "model information", "introduction", "about", "description", "model architecture"),
    "uses": ("uses", "intended use", "intended uses", "direct use", "usage", "use cases", "downstream use",
             "how to use", "applications"),
    "out_of_scope": ("out-of-scope use", "out of scope", "out-of-scope", "misuse", "prohibited use",
                     "limitations of use", "not intended"),
    "bias_risks_limitations": ("bias risks and limitations", "bias", "risks", "limitations", "ethical considerations",
                               "responsibility and safety", "safety", "known limitations", "ethics"),
    "training": ("training details", "training data", "training procedure", "training", "pretraining", "pre-training",
                 "training dataset", "data"),
    "evaluation": ("evaluation", "results", "benchmarks", "benchmark results", "performance", "evaluation results",
                   "metrics"),
    "environmental_impact": ("environmental impact", "carbon", "co2", "energy", "training energy use",
                             "carbon footprint", "training factors", "hardware and software"),
    "technical_specifications": ("technical specifications", "model architecture and objective",
                                 "compute infrastructure", "hardware", "software", "architecture", "model specs",
                                 "technical details"),
    "citation": ("citation", "bibtex", "cite", "citing", "reference"),
    "how_to_get_started": ("how to get started", "quickstart", "quick start", "getting started", "get started",
                           "inference", "example usage", "usage example"),
}

#: Datasheets for Datasets: the seven question sections.
DATASHEET: dict[str, tuple[str, ...]] = {
    "motivation": ("motivation",),
    "composition": ("composition",),
    "collection_process": ("collection process", "collection", "data collection"),
    "preprocessing": ("preprocessing", "pre-processing", "cleaning", "labeling", "labelling"),
    "uses": ("uses", "intended use", "use"),
    "distribution": ("distribution",),
    "maintenance": ("maintenance",),
}

#: Hugging Face dataset card template (top-level sections).
DATASET_CARD: dict[str, tuple[str, ...]] = {
    "dataset_details": ("dataset details", "dataset description", "dataset summary", "dataset card for",
                        "description", "overview"),
    "uses": ("uses", "direct use", "intended use", "supported tasks"),
    "structure": ("dataset structure", "data fields", "data instances", "data splits", "structure"),
    "creation": ("dataset creation", "curation rationale", "source data", "data collection and processing",
                 "collection"),
    "annotations": ("annotations", "annotation process"),
    "personal_information": ("personal and sensitive information", "personal information", "privacy"),
    "bias_risks_limitations": ("bias risks and limitations", "considerations for using the data", "bias",
                               "limitations", "discussion of biases", "social impact of dataset"),
    "license_citation": ("citation", "licensing information", "license", "citation information"),
}

#: Google Data Cards (extended template) top-level sections.
DATA_CARDS: dict[str, tuple[str, ...]] = {
    "authorship": ("authorship",),
    "overview": ("dataset overview",),
    "examples": ("example of data points",),
    "motivations": ("motivations and intentions", "motivations"),
    "access": ("access rentention and wipeout", "access retention and wipeout", "access"),
    "provenance": ("provenance",),
    "sensitive_attributes": ("human and other sensitive attributes",),
    "extended_use": ("extended use",),
    "transformations": ("transformations",),
    "annotations": ("annotations and labeling", "annotations"),
    "validation": ("validation types",),
    "sampling": ("sampling methods",),
    "applications": ("known applications and benchmarks",),
    "reflections": ("reflections on data", "terms of art"),
}

#: Front-matter keys that mark a Hugging Face *model* card versus a *dataset* card.
MODEL_CARD_KEYS = frozenset({"license", "license_name", "pipeline_tag", "library_name", "base_model", "model-index",
                             "model_name", "co2_eq_emissions", "widget", "inference", "gated", "tags", "language",
                             "datasets", "metrics", "base_model_relation", "new_version"})
#: Keys only a model card has: a README elsewhere in the tree needs one of them to count as a card
#: (``license``, ``tags`` or ``language`` alone also head docs-site pages and Space READMEs).
MODEL_ONLY_KEYS = frozenset({"pipeline_tag", "library_name", "base_model", "model-index", "model_name",
                             "base_model_relation", "widget", "co2_eq_emissions", "new_version"})
#: Keys of a Hugging Face *Space* README (the configuration of a demo app, not a card).
SPACE_KEYS = frozenset({"sdk", "sdk_version", "app_file", "app_port", "emoji", "colorFrom", "colorTo"})
DATASET_CARD_KEYS = frozenset({"task_categories", "task_ids", "size_categories", "dataset_info", "configs",
                               "pretty_name", "annotations_creators", "language_creators", "source_datasets",
                               "multilinguality", "paperswithcode_id", "train-eval-index", "dataset_summary"})
