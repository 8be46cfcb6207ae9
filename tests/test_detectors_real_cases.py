"""Classes of error seen on real model repositories (tests/calibration/labels), each as a few
files distilled from the real case: the smallest tree that shows the class, not a copy.

The repository each case comes from is named in the test; the label and its evidence are in
``tests/calibration/labels/OWNER__NAME.yml``.
"""

from __future__ import annotations

import pathlib

from openness_gate import detectors
from openness_gate.sources import local


def check(tmp_path: pathlib.Path, files: dict[str, str | bytes]) -> dict:
    for rel, content in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return {f.component: f for f in detectors.run(local.load(str(tmp_path)), {})}


PROJECT_README = """# SuperModel: fast segmentation

[Paper](https://example.org/paper.pdf) | [Demo](https://example.org)

## Installation

pip install -e .

## Training

See training/README.md to train the model on 8 GPUs with our recipe and data loaders.

## Evaluation

Run the evaluator on the validation split to reproduce the numbers reported in the paper.

## Citation

If you use this work, please cite it.

## License

Apache 2.0
"""


# --- model cards (facebookresearch/sam2, NVIDIA/Megatron-LM, InternLM/InternLM, google-research/vision_transformer)

def test_a_project_readme_with_training_and_evaluation_headings_is_not_a_model_card(tmp_path):
    found = check(tmp_path, {"README.md": PROJECT_README})
    card = found["docs.model_card"]
    assert card.status == "missing"
    assert "project README" in card.evidence[0].reason


def test_a_card_named_with_a_prefix_or_kept_in_a_model_cards_folder_is_found(tmp_path):
    body = "# Model Card: LiT\n\n## Model details\n\nA contrastive image-text model.\n\n## Evaluation\n\nZero-shot 84.5% on ImageNet.\n"
    found = check(tmp_path / "a", {"README.md": PROJECT_README, "docs/Mistral_Model_Card.md": body})
    assert found["docs.model_card"].status in ("present", "partial")
    assert found["docs.model_card"].facts["primary"] == "docs/Mistral_Model_Card.md"
    in_folder = check(tmp_path / "b", {"README.md": PROJECT_README, "model_cards/lit.md": body,
                                       "model_cards/README.md": "Cards of our models live here.\n"})
    assert in_folder["docs.model_card"].facts["primary"] == "model_cards/lit.md"


def test_an_unfilled_model_card_template_is_not_a_card(tmp_path):
    template = ("# Model Card\n\n## Model Details\n\n[Insert model details]\n\n## Intended Use\n\n[Insert intended use]\n\n"
                "## Metrics\n\n[Insert metrics]\n\n## Caveats\n\n[Insert caveats]\n")
    found = check(tmp_path, {"README.md": PROJECT_README, "model_card_template.md": template})
    assert found["docs.model_card"].status == "missing"


# --- datasheets (Stability-AI/StableLM, deepseek-ai/DeepSeek-LLM, EleutherAI/gpt-neox)

def test_a_training_data_paragraph_in_a_card_is_not_a_datasheet(tmp_path):
    card = ("---\nlicense: mit\nlibrary_name: transformers\n---\n# Tiny LM\n\n## Training Data\n\n"
            + "The model was trained on a mixture of web text, code and books, filtered for quality and deduplicated. " * 4)
    found = check(tmp_path, {"README.md": card})
    assert found["docs.datasheet"].status == "missing"
    assert "no dedicated datasheet" in found["docs.datasheet"].evidence[0].reason


def test_a_data_folder_readme_about_formats_is_not_a_datasheet(tmp_path):
    notes = ("# Datasets\n\nThe tokenizer tools write documents into binary shards. Each split holds documents of tokens;"
             " the size of each shard is 1 GB. Sources are listed in the config, with their licence. " * 6)
    found = check(tmp_path, {"README.md": PROJECT_README, "tools/datasets/README.md": notes})
    assert found["docs.datasheet"].status == "missing"


# --- publications (CompVis/taming-transformers, salesforce/BLIP, InternLM/InternLM)

def test_a_bibtex_entry_whose_title_names_a_library_word_is_still_the_models_paper(tmp_path):
    readme = PROJECT_README + ("\n## BibTeX\n\n```\n@misc{esser2020taming,\n  title={Taming Transformers for High-Resolution "
                               "Image Synthesis},\n  year={2020}\n}\n```\n\n## Acknowledgements\n\nBuilt on "
                               "HuggingFace transformers and PyTorch.\n")
    found = check(tmp_path, {"README.md": readme})
    assert found["docs.publication"].status == "present"
    assert "BibTeX entry" in found["docs.publication"].evidence[0].reason


def test_a_library_paper_cited_in_a_card_is_not_the_models_paper(tmp_path):
    card = ("---\nlicense: mit\nlibrary_name: peft\n---\n# Adapter\n\n## Citation\n\n```\n@misc{vonwerra2022trl,\n"
            "  title={TRL: Transformer Reinforcement Learning},\n  year={2020}\n}\n```\n")
    found = check(tmp_path, {"README.md": card})
    assert found["docs.publication"].status == "missing"


def test_the_root_readme_is_read_for_the_paper_when_the_card_lives_in_a_folder(tmp_path):
    readme = PROJECT_README + "\n[Technical Report](https://arxiv.org/abs/2403.17297)\n"
    card = "# InternLM2 Model Card\n\n## Introduction\n\nA 7B model.\n\n## Performance Evaluation\n\nMMLU 65.8\n"
    found = check(tmp_path, {"README.md": readme, "model_cards/internlm2_7b.md": card})
    assert found["docs.model_card"].facts["primary"] == "model_cards/internlm2_7b.md"
    assert found["docs.publication"].status in ("present", "linked")
    assert "2403.17297" in found["docs.publication"].evidence[0].reason
