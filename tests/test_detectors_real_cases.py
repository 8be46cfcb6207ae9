"""Classes of error seen on real model repositories (tests/calibration/labels), each as a few
files distilled from the real case: the smallest tree that shows the class, not a copy.

The repository each case comes from is named in the test; the label and its evidence are in
``tests/calibration/labels/OWNER__NAME.yml``.
"""

from __future__ import annotations

import json
import pathlib

from openness_gate import detectors
from openness_gate.sources import local


def _written(tmp_path: pathlib.Path, files: dict[str, str | bytes]) -> pathlib.Path:
    for rel, content in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return tmp_path


def check(tmp_path: pathlib.Path, files: dict[str, str | bytes]) -> dict:
    return {f.component: f for f in detectors.run(local.load(str(_written(tmp_path, files))), {})}


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


def test_a_projects_own_paper_whose_title_names_a_method_is_still_its_paper(tmp_path):
    """MonsieurNam/QLORA_CLIP_IxT (blind batch 18) cites its own paper, "Dissecting QLoRA's Efficiency for
    VLM Adaptation", in a ```bash block under "Citation"; Manirider/LLM-Finetuning-Pipeline-QLora cites
    the pipeline itself. The QLoRA paper's own entry ({QLoRA}: Efficient Finetuning…, which a project
    that uses the method cites) is not the project's paper."""
    base = "# QLoRA for CLIP\n\nFine-tunes CLIP with QLoRA on image-text retrieval.\n"
    own = base + ("\n## Citation\n### If you use this code or findings in your research, please cite our paper:\n\n"
                            "```bash\n\n@article{nam2025dissecting,\n  title={Dissecting QLoRA's Efficiency for VLM "
                            "Adaptation: A Practical Analysis of Static vs. Dynamic Memory},\n  year={2025}\n}\n```\n")
    found = check(tmp_path / "own", {"README.md": own})
    assert found["docs.publication"].status == "present"
    assert "BibTeX entry (@article)" in found["docs.publication"].evidence[0].reason
    pipeline = base + ("\n## Citation\n\n```bibtex\n@software{llm_finetuning_pipeline_lora,\n  title = "
                                 "{Production-Grade LLM Fine-Tuning Pipeline with QLoRA},\n  year = {2024}\n}\n```\n")
    assert check(tmp_path / "pipeline", {"README.md": pipeline})["docs.publication"].status == "present"
    method = base + ("\n## Citation\n\n```\n@article{dettmers2023qlora,\n  title={{QLoRA}: Efficient "
                               "Finetuning of Quantized LLMs},\n  year={2023}\n}\n```\n")
    assert check(tmp_path / "method", {"README.md": method})["docs.publication"].status == "missing"


def test_the_root_readme_is_read_for_the_paper_when_the_card_lives_in_a_folder(tmp_path):
    readme = PROJECT_README + "\n[Technical Report](https://arxiv.org/abs/2403.17297)\n"
    card = "# InternLM2 Model Card\n\n## Introduction\n\nA 7B model.\n\n## Performance Evaluation\n\nMMLU 65.8\n"
    found = check(tmp_path, {"README.md": readme, "model_cards/internlm2_7b.md": card})
    assert found["docs.model_card"].facts["primary"] == "model_cards/internlm2_7b.md"
    assert found["docs.publication"].status in ("present", "linked")
    assert "2403.17297" in found["docs.publication"].evidence[0].reason


# --- training code (deepseek-ai/Janus, facebookresearch/ImageBind, QwenLM/Qwen2.5-VL, google-deepmind/alphafold)

def test_unit_tests_that_step_the_optimiser_or_generate_are_neither_training_nor_inference(tmp_path):
    """state-spaces/mamba (hold-out, 2026-12-04): tests/ and test_*.py call .backward() and
    loss.backward() to check kernels' gradients; a library's training entry point still counts."""
    grad = ("import torch\n\ndef test_selective_scan_grad():\n    out = selective_scan_fn(u, delta)\n"
            "    loss = out.sum()\n    loss.backward()\n    optimizer.step()\n")
    gen = "def test_generation():\n    out = model.generate(input_ids, max_length=20)\n    assert out.shape[1] == 20\n"
    found = check(tmp_path / "a", {"tests/ops/test_selective_scan.py": grad, "tests/test_determinism.py": grad,
                                   "mamba_ssm/test_generation.py": gen, "mamba_ssm/kernels_test.py": grad,
                                   "mamba_ssm/modules/mamba_simple.py": "import torch.nn as nn\n"})
    for cid in ("code.training", "code.fine_tuning", "code.inference"):
        assert found[cid].status == "missing", cid
    trains = check(tmp_path / "b", {"tests/test_train.py": grad, "train.py": grad.replace("def test_", "def ")})
    assert [e.path for e in trains["code.training"].evidence] == ["train.py"]


_AUTOENCODER = '''import torch
from torch import nn


class VideoAutoencoder(nn.Module):
    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path):
        return cls()

    def forward(self, x):
        return self.decode(self.encode(x))


def demo_video_autoencoder_forward_backward():
    model = VideoAutoencoder()
    reconstructed = model(input_videos)
    loss = torch.nn.functional.mse_loss(input_videos, reconstructed)
    loss.backward()
    print(f"Demo completed with loss: {loss.item()}")


if __name__ == "__main__":
    demo_video_autoencoder_forward_backward()
'''


def test_a_model_file_whose_demo_runs_one_backward_pass_is_not_training_code(tmp_path):
    """Lightricks/LTX-Video's autoencoders: the model file ends with a forward/backward demo; no
    optimiser anywhere. With an optimiser stepping, the same file trains."""
    found = check(tmp_path / "a", {"ltx_video/models/autoencoders/video_autoencoder.py": _AUTOENCODER})
    assert found["code.training"].status == "missing" and found["code.fine_tuning"].status == "missing"
    trains = _AUTOENCODER.replace("    loss.backward()\n", "    opt = torch.optim.AdamW(model.parameters())\n"
                                                          "    loss.backward()\n    opt.step()\n")
    found = check(tmp_path / "b", {"ltx_video/models/autoencoders/video_autoencoder.py": trains})
    assert "present" in (found["code.training"].status, found["code.fine_tuning"].status)


def test_a_trainer_made_to_run_a_model_but_never_run_is_not_training_code(tmp_path):
    """EleutherAI/lm-evaluation-harness's lm_eval/models/nemo_lm.py: NeMo needs a Lightning Trainer
    to load and run a model; nothing fits or trains. A script that runs its trainer still trains."""
    wrapper = ("from lightning.pytorch.trainer.trainer import Trainer\n\n\nclass NeMoLM:\n"
               "    def __init__(self, path, devices=1):\n"
               "        trainer = Trainer(strategy='auto', devices=devices, accelerator='gpu')\n"
               "        self.model = load_model(path, trainer)\n        self._rank = trainer.global_rank\n")
    found = check(tmp_path / "a", {"lm_eval/models/nemo_lm.py": wrapper})
    assert found["code.training"].status == "missing"
    runs = wrapper + "\n\ndef main():\n    trainer = Trainer(max_epochs=3)\n    trainer.fit(model, datamodule)\n"
    assert check(tmp_path / "b", {"lm_eval/models/nemo_lm.py": runs})["code.training"].status == "present"


def test_hyperparameter_words_in_a_model_file_are_not_training_code(tmp_path):
    model = ("import torch.nn as nn\n\nclass Encoder(nn.Module):\n    batch_size: int = 8\n    weight_decay: float = 0.0\n\n"
             "    def forward(self, x):\n        return x\n")
    found = check(tmp_path, {"vision/siglip_vit.py": model})
    assert found["code.training"].status == "missing" and found["code.fine_tuning"].status == "missing"


def test_a_notebook_that_talks_about_fine_tuning_but_only_runs_the_model_is_not_fine_tuning(tmp_path):
    import json
    nb = {"cells": [{"cell_type": "markdown", "source": ["The model went through supervised fine-tuning and "
                                                          "instruction-tuning on documents.\n"]},
                    {"cell_type": "code", "source": ["out = model.generate(**inputs)\n"], "outputs": []}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    found = check(tmp_path, {"cookbooks/document_parsing.ipynb": json.dumps(nb)})
    assert found["code.fine_tuning"].status == "missing"
    assert found["code.inference"].status == "present"


def _jupyter_notebook(cells: list[dict]) -> str:
    """A notebook as Jupyter writes it: keys sorted, so a code cell's outputs come before its source."""
    import json
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1,
                      sort_keys=True) + "\n"


def _code_cell(source: list[str], outputs: list[dict]) -> dict:
    return {"cell_type": "code", "execution_count": 1, "id": "c", "metadata": {}, "outputs": outputs, "source": source}


def test_a_notebook_over_the_read_cap_is_judged_by_its_head_and_read_whole_while_a_verdict_depends_on_it(tmp_path):
    """QwenLM/Qwen2.5-VL's cookbooks are 2-4 MB, almost all of it output images: the head read
    (1 MiB) is no valid JSON, and the code cells in it still say what the notebook does, a cell
    whose plot (written before its source) is larger than 200 KB included (mobile_agent.ipynb).
    Its later cells are read too while a component they could show is missing (danhtran2mind/
    Viet-Glow-TTS-finetuning runs trainer.fit() 2 MB into its notebook); what the head found keeps
    its evidence."""
    png = {"data": {"image/png": "iVBORw0KGgo" + "A" * 76 * 2_000, "text/plain": ["<PIL.Image>"]},
           "metadata": {}, "output_type": "display_data"}
    big = {**png, "data": {"image/png": "iVBORw0KGgo" + "A" * 76 * 4_000}}
    log = {"name": "stdout", "output_type": "stream", "text": ["Collecting transformers\n"] * 200}
    cells = [{"cell_type": "markdown", "id": "m", "metadata": {},
              "source": ["This model went through supervised fine-tuning.\n"]},
             _code_cell(["!pip install transformers\n"], [log]),
             _code_cell(["text = processor.apply_chat_template(messages)\n", "ids = model.generate(**inputs)\n"],
                        [big]),
             *[_code_cell(["show(image)\n"], [png]) for _ in range(6)],
             _code_cell(["trainer.train()\n"], [png])]  # past the cap: read only because no training was found
    text = _jupyter_notebook(cells)
    assert 1 << 20 < text.index("trainer.train") < len(text)
    found = check(tmp_path / "a", {"cookbooks/ocr.ipynb": text})
    inference = found["code.inference"]
    assert inference.status == "present"
    assert [(e.path, e.reason) for e in inference.evidence] == [
        ("cookbooks/ocr.ipynb", "inference code: contains .generate(, apply_chat_template")]
    training = found["code.training"]
    assert training.status == "present" and training.evidence[0].path == "cookbooks/ocr.ipynb"
    assert found["code.fine_tuning"].status == "missing" and not training.unread
    # where every code component is found already, the notebook stays a head (listed as partial)
    others = {"train.py": "trainer = Trainer(model=model)\ntrainer.train()\n",
              "tune.py": "model = AutoModel.from_pretrained('x')\ntrainer = Trainer(model=model)\ntrainer.train()\n",
              "eval.py": "import evaluate\nmetric = evaluate.load('accuracy')\n"}
    inv = local.load(str(_written(tmp_path / "b", {"cookbooks/ocr.ipynb": text, **others})))
    found = {f.component: f for f in detectors.run(inv, {})}
    assert all(found[c].status == "present" for c in ("code.training", "code.fine_tuning", "code.evaluation"))
    assert "cookbooks/ocr.ipynb" in inv.partial


def test_a_notebook_over_eight_times_the_read_cap_is_read_to_there_and_says_so(tmp_path):
    """Past ``NOTEBOOK_CAP_FACTOR`` times the text cap a notebook's code cells stay unread, and the
    report says so (a small cap here stands for 1 MiB)."""
    from openness_gate.inventory import NOTEBOOK_CAP_FACTOR

    png = {"data": {"image/png": "A" * 3000}, "metadata": {}, "output_type": "display_data"}
    cells = [_code_cell(["ids = model.generate(**inputs)\n"], [png]) for _ in range(12)]
    cells.append(_code_cell(["trainer.train()\n"], []))
    text = _jupyter_notebook(cells)
    cap = 4096
    assert cap < len(text) and NOTEBOOK_CAP_FACTOR * cap < text.index("trainer.train")
    inv = local.load(str(_written(tmp_path, {"demo.ipynb": text})), text_cap=cap)
    found = {f.component: f for f in detectors.run(inv, {})}
    assert found["code.inference"].status == "present" and found["code.training"].status == "missing"
    assert "demo.ipynb" in inv.partial and str(NOTEBOOK_CAP_FACTOR * cap) in inv.partial["demo.ipynb"]


def test_method_names_inside_other_words_are_not_fine_tuning(tmp_path):
    found = check(tmp_path, {"data/tools/kalign.py": "def align(seqs):\n    return seqs\n",
                             "utils/support.py": "def helper():\n    return 1\n",
                             "inference/alignment.py": "def align_tokens(a, b):\n    return a\n"})
    assert found["code.fine_tuning"].status == "missing"


# --- evaluation (deepseek-ai/DeepSeek-LLM, facebookresearch/ImageBind, Wan-Video/Wan2.1, Lightricks/LTX-Video, kyutai-labs/moshi)

def test_a_results_table_named_by_its_header_under_an_evaluation_parent_heading(tmp_path):
    readme = ("# Model\n\n## 3. Evaluation Results\n\n### Base Model\n\n| model | Hella<br>Swag | MMLU | GSM8K |\n"
              "|:--:|:--:|:--:|:--:|\n| Ours<br>7B | 75.4 | 48.2 | 17.4 |\n")
    found = check(tmp_path, {"README.md": readme})
    assert found["docs.evaluation"].status == "present" and found["docs.evaluation"].evidence[0].line == 9


def test_an_html_results_table_in_a_project_readme(tmp_path):
    readme = ("# ImageBind\n\n## ImageBind model\n\nEmergent zero-shot classification performance.\n\n<table>\n  <tr>\n"
              "    <th>Model</th>\n    <th>IN1k</th>\n    <th>K400</th>\n  </tr>\n  <tr>\n    <td>imagebind_huge</td>\n"
              "    <td align=\"right\">77.7</td>\n    <td align=\"right\">50.0</td>\n  </tr>\n</table>\n")
    found = check(tmp_path, {"README.md": readme})
    assert found["docs.evaluation"].status == "present"


def test_a_notebook_that_measures_top1_accuracy_is_evaluation_code(tmp_path):
    """openai/CLIP (hold-out, 2026-12-04): notebooks/Prompt_Engineering_for_ImageNet.ipynb defines
    accuracy() and scores the zero-shot classifier on ImageNetV2; its name says nothing."""
    cells = [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
              "source": ["def accuracy(output, target, topk=(1,)):\n",
                         "    pred = output.topk(max(topk), 1, True, True)[1].t()\n",
                         "    correct = pred.eq(target.view(1, -1).expand_as(pred))\n",
                         "    return [float(correct[:k].reshape(-1).float().sum(0)) for k in topk]\n"]},
             {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
              "source": ["for images, target in loader:\n", "    logits = 100. * model.encode_image(images) @ weights\n",
                         "    acc1, acc5 = accuracy(logits, target, topk=(1, 5))\n"]}]
    found = check(tmp_path, {"notebooks/Prompt_Engineering_for_ImageNet.ipynb": _jupyter_notebook(cells)})
    assert found["code.evaluation"].status == "present"


def test_a_bulleted_list_of_metric_values_is_a_results_list(tmp_path):
    """dedwar40/animal-classifier-app: each model size's held-out precision and recall as bullets,
    no table; one bullet with a number is a claim, not a list of results."""
    readme = ("# Animal Classifier App\n\n## The Solution\n\nWe fine-tuned YOLOv8 on 16 species.\n\n"
              "- yolov8n_16species model correctly identified with 96.5% precision and 95.3% recall\n"
              "- yolov8s_16species model correctly identified with 97.2% precision and 96.4% recall\n")
    found = check(tmp_path / "a", {"README.md": readme})["docs.evaluation"]
    assert found.status == "present" and found.evidence[0].line == 7
    claim = "# App\n\n## Features\n\n- detects animals with 97% accuracy\n- runs 40% faster on a CPU\n"
    assert check(tmp_path / "b", {"README.md": claim})["docs.evaluation"].status == "missing"


def test_a_metric_word_in_a_row_without_numbers_makes_no_results_table(tmp_path):
    """THUDM/CogVideo's model table ("Inference Precision": BF16, FP16) and togethercomputer/
    RedPajama-Data's list of quality signals ("perplexity of an LM") have numbers elsewhere."""
    cogvideo = ("# CogVideo\n\n## Model Introduction\n\n<table style=\"border-collapse: collapse; width: 100%;\">\n  <tr>\n"
                "    <th style=\"text-align: center;\">Model Name</th>\n    <th style=\"text-align: center;\">CogVideoX-2B</th>\n"
                "  </tr>\n  <tr>\n    <td style=\"text-align: center;\">Video Resolution</td>\n"
                "    <td style=\"text-align: center;\">720 * 480</td>\n  </tr>\n  <tr>\n"
                "    <td style=\"text-align: center;\">Inference Precision</td>\n"
                "    <td style=\"text-align: center;\"><b>FP16*(Recommended)</b>, BF16, FP32, FP8*, INT8</td>\n"
                "  </tr>\n</table>\n")
    redpajama = ("# RedPajama\n\n#### Quality Annotations\n\n| Annotation Tag | Description |\n|---|---|\n"
                 "| ccnet_perplexity | perplexity of an LM trained on Wikipedia |\n"
                 "| rps_doc_books_importance | Given a bag of {1,2}-wordgram model trained on Books |\n")
    for name, readme in (("cogvideo", cogvideo), ("redpajama", redpajama)):
        assert check(tmp_path / name, {"README.md": readme})["docs.evaluation"].status == "missing", name


def test_an_html_results_table_whose_header_row_is_written_with_td_cells(tmp_path):
    readme = ("# Model\n\n## Zero-shot results\n\n<table>\n  <tr>\n    <td>Model</td>\n    <td>MMLU</td>\n  </tr>\n"
              "  <tr>\n    <td>ours-7b</td>\n    <td>55.1</td>\n  </tr>\n</table>\n")
    found = check(tmp_path, {"README.md": readme})["docs.evaluation"]
    assert found.status == "present" and found.evidence[0].line == 11


def test_a_results_figure_under_an_evaluation_heading(tmp_path):
    readme = "# Wan\n\n## Evaluation\n\n### Manual Evaluation\n\n<div align=\"center\">\n    <img src=\"assets/t2v_res.jpg\">\n</div>\n"
    found = check(tmp_path, {"README.md": readme, "assets/t2v_res.jpg": b"\xff\xd8"})
    assert found["docs.evaluation"].status == "present"
    assert "results figure" in found["docs.evaluation"].evidence[0].reason


def test_words_that_contain_metric_and_speed_benchmarks_are_not_evaluation_code(tmp_path):
    speed = "import time\n\nstart = time.perf_counter()\nrun()\nprint('tokens/s', n / (time.perf_counter() - start))\n"
    found = check(tmp_path, {"models/symmetric_patchifier.py": "def patchify(x):\n    return x\n",
                             "image/geometric.py": "def rotate(img):\n    return img\n",
                             "scripts/moshi_benchmark.py": speed})
    assert found["code.evaluation"].status == "missing"


def test_a_script_whose_function_runs_an_evaluation_is_evaluation_code(tmp_path):
    """openai/improved-diffusion's scripts/image_nll.py: the name says nothing of evaluation, its
    ``run_bpd_evaluation`` scores the trained model's bits/dim on a dataset."""
    nll = ("def main():\n    model.eval()\n    run_bpd_evaluation(model, diffusion, data, args.num_samples)\n\n\n"
           "def run_bpd_evaluation(model, diffusion, data, num_samples):\n    all_bpd = []\n"
           "    for batch in data:\n        all_bpd.append(diffusion.calc_bpd_loop(model, batch)['total_bpd'])\n"
           "    return sum(all_bpd) / len(all_bpd)\n")
    found = check(tmp_path, {"scripts/image_nll.py": nll})
    assert found["code.evaluation"].status == "present"
    assert found["code.evaluation"].evidence[0].path == "scripts/image_nll.py"


# --- inference (Torkjellr/…-Heroku-FastAPI, deepseek-ai/DeepSeek-R1)

def test_a_fastapi_app_serving_predictions_is_inference_code(tmp_path):
    app = ("from fastapi import FastAPI\nimport joblib\n\napp = FastAPI()\nmodel = joblib.load('model/model.joblib')\n\n"
           "@app.post('/infer')\ndef infer(item: dict):\n    return {'prediction': model.predict([item]).tolist()}\n")
    found = check(tmp_path, {"main.py": app})
    assert found["code.inference"].status == "present"


# (apple/corenet, bigscience-workshop/Megatron-DeepSpeed, google-deepmind/alphafold,
# togethercomputer/RedPajama-Data; dedwar40/animal-classifier-app, Stability-AI/generative-models)
def test_app_is_a_word_in_a_file_name_not_a_substring(tmp_path):
    helper = "def helper(x):\n    return x\n"
    found = check(tmp_path, {"corenet/utils/activation_checkpointing_wrapper.py": helper,
                             "megatron/mpu/mappings.py": helper, "alphafold/model/mapping.py": helper,
                             "scripts/apptainer_run_lsh.sh": "apptainer run image.sif python -m lsh\n"})
    assert found["code.inference"].status == "missing"
    found = check(tmp_path, {"app.py": helper, "scripts/demo/gradio_app.py": helper})
    assert {e.path for e in found["code.inference"].evidence} == {"app.py", "scripts/demo/gradio_app.py"}


def test_a_readme_snippet_alone_is_linked_inference_not_code_in_the_tree(tmp_path):
    readme = "# R1\n\n## How to run locally\n\n```shell\nvllm serve deepseek-ai/DeepSeek-R1 --tensor-parallel-size 2\n```\n"
    found = check(tmp_path, {"README.md": readme})
    assert found["code.inference"].status == "linked"
    assert "no inference script" in found["code.inference"].evidence[0].reason


# --- weights (TencentARC/GFPGAN, coqui-ai/TTS, THUDM/CogVideo, NVIDIA/Megatron-LM, Tathastu2004/Recilens-Nexus-AI-Chatbot)

def test_test_fixtures_cached_tensors_indexes_and_build_files_are_not_weights(tmp_path):
    found = check(tmp_path, {"tests/data/test_eye_mouth_landmarks.pth": b"\x80\x02" + b"\0" * 900,
                             "recipes/ljspeech/lj_parameters.pt": b"\x80\x02" + b"\0" * 500,
                             "inference/encoded.pt": b"\x80\x02" + b"\0" * 5000,
                             "docker/Dockerfile.ci.nemo": b"FROM nvcr.io/nvidia/nemo\n",
                             "AIModel/chroma_db/85c2/data_level0.bin": b"\0" * 5000})
    assert all(found[c].status == "missing" for c in ("weights.pretrained", "weights.adapted", "weights.adapter"))


def test_a_real_checkpoint_is_still_weights(tmp_path):
    found = check(tmp_path, {"examples/NLU/roberta_base_lora_mnli.bin": b"\x80\x02" + b"\1" * 20000})
    assert "present" in {found[c].status for c in ("weights.pretrained", "weights.adapter")}


# --- use policies (facebookresearch/seamless_communication, THUDM/CogVLM, allenai/open-instruct)

def test_an_acceptable_use_policy_file_without_an_extension(tmp_path):
    found = check(tmp_path, {"ACCEPTABLE_USE_POLICY": "Seamless Acceptable Use Policy\n\nYou agree you will not use "
                                                      "the models to violate the law or others' rights.\n"})
    assert found["distribution.use_policy"].status == "present"


def test_a_model_licence_with_a_restrictions_section_naming_harms_is_a_use_policy(tmp_path):
    licence = ("The CogVLM License\n\n1. Definitions\n\n...\n\n2. License Grant\n\n...\n\n3. Restriction\n\n"
               "You will not use, copy, modify, merge, publish, distribute, reproduce, or create derivative works of "
               "the Software, in whole or in part, for any military, or illegal purposes.\n\nYou will not use the "
               "Software for any act that may undermine China's national security and national unity, harm the "
               "public interest of society, or infringe upon the rights and interests of human beings.\n")
    found = check(tmp_path / "a", {"MODEL_LICENSE": licence})
    assert found["distribution.use_policy"].status == "present"
    assert "restrictions section" in found["distribution.use_policy"].evidence[0].reason
    nested = check(tmp_path / "b", {"assets/model_licenses/tulu_license.txt": licence})
    assert nested["distribution.use_policy"].status == "present"


def test_commercial_thresholds_and_export_control_are_not_a_use_policy(tmp_path):
    licence = ("Community License\n\n2. Additional Commercial Terms. If the monthly active users exceed 700 million, you "
               "must request a license.\n\n3. Restrictions. You shall comply with applicable export control laws and "
               "shall not use the outputs to train other models.\n")
    found = check(tmp_path, {"LICENSE": licence})
    assert found["distribution.use_policy"].status == "missing"


# --- guardrails (QwenLM/Qwen2.5, Stability-AI/generative-models)

def test_a_default_system_prompt_without_safety_instructions_is_not_a_safety_guardrail(tmp_path):
    tpl = "{%- if not messages[0].role == 'system' %}You are provided with function signatures.{% endif %}{{ message }}"
    found = check(tmp_path / "a", {"docs/assets/qwen3_nonthinking.jinja": tpl})
    assert found["guardrails.system_prompt"].status == "present"
    assert found["guardrails.system_prompt"].facts["safety_instructions"] is False
    safe = "{% if not system %}You are a helpful assistant. Refuse harmful or illegal requests.{% endif %}{{ message }}"
    guarded = check(tmp_path / "b", {"chat_template.jinja": safe})
    assert guarded["guardrails.system_prompt"].facts["safety_instructions"] is True


def test_an_nsfw_output_filter_is_a_safety_classifier(tmp_path):
    found = check(tmp_path, {"scripts/util/detection/nsfw_and_watermark_dectection.py":
                             "class DeepFloydDataFiltering:\n    def __call__(self, images):\n        return images\n"})
    assert found["guardrails.safety_classifier"].status == "present"


def test_a_content_filter_that_cleans_training_data_is_no_safety_classifier(tmp_path):
    """sarelWeinberger/qwen-hebrew-finetuning's ``data_preprocess/content_filtering/`` filters a Hebrew corpus
    with FineWeb and Gopher quality heuristics before training: data curation, which the labelling rules
    exclude from guardrails. A content filter of the model's outputs (black-forest-labs/flux's) still counts."""
    found = check(tmp_path / "curation", {
        "data_preprocess/content_filtering/READMR.md":
            "# FineWeb-Based Hebrew Data Filtering Pipeline\n\nFilters raw datasets stored on S3 into high-quality "
            "text suitable for model training.\n",
        "data_preprocess/content_filtering/fineweb_filtering_pipeline.py":
            "from datatrove.pipeline.filters import GopherQualityFilter, FineWebQualityFilter\n",
        "data_preprocess/content_filtering/filter_analysis.py": "import pandas as pd\n"})
    assert found["guardrails.safety_classifier"].status == "missing"
    found = check(tmp_path / "outputs", {"src/flux/content_filters.py":
                                         "class PixtralContentFilter:\n    def test_image(self, image):\n        ...\n"})
    assert [e.path for e in found["guardrails.safety_classifier"].evidence] == ["src/flux/content_filters.py"]


def test_a_weights_index_whose_shards_are_all_elsewhere_is_a_reference_not_partial_weights(tmp_path):
    """BICAamy/interns2-finetune commits the Intern-S2 model folders' configs, tokenizers and
    ``model.safetensors.index.json`` and ignores every shard in .gitignore: no weight is in the
    repository, in part or whole. The index names them: linked. With one of its shards committed the
    weights are present, the evidence naming the shards that are not."""
    index = json.dumps({"metadata": {"total_size": 38_800_000_000},
                        "weight_map": {"lm_head.weight": "model-00011-of-00011.safetensors",
                                       "model.embed_tokens.weight": "model-00001-of-00011.safetensors"}})
    found = check(tmp_path / "none", {".gitignore": "/models/**/*.safetensors\n",
                                      "models/Intern-S2-Preview-FP8/model.safetensors.index.json": index,
                                      "models/Intern-S2-Preview-FP8/config.json": '{"model_type": "interns2"}'})
    weights = [f for cid, f in found.items() if cid.startswith("weights.") and f.status != "missing"]
    assert [(f.component, f.status) for f in weights] == [("weights.pretrained", "linked")]
    assert "kept elsewhere" in weights[0].evidence[-1].reason
    found = check(tmp_path / "half", {"model.safetensors.index.json": index,
                                      "model-00001-of-00011.safetensors": "\0" * 64})
    assert found["weights.pretrained"].status == "present"
    assert any("1 listed shard(s) not in the repository" in e.reason for e in found["weights.pretrained"].evidence)


# --- bad-word output filters (facebookresearch/seamless_communication, THUDM/ChatGLM3): the name
# pattern knew them, but the keyword prefilter in front of it never let their names through

def test_a_bad_word_checker_of_translations_is_a_safety_classifier(tmp_path):
    found = check(tmp_path, {
        "src/seamless_communication/toxicity/__init__.py": "from .etox_bad_word_checker import ETOXBadWordChecker\n",
        "src/seamless_communication/toxicity/etox_bad_word_checker.py":
            "class ETOXBadWordChecker:\n    bad_words: dict\n\n    def get_bad_words(self, text, lang):\n"
            "        return [w for w in self.bad_words[lang] if w in text]\n"})
    ev = found["guardrails.safety_classifier"].evidence
    assert [e.path for e in ev] == ["src/seamless_communication/toxicity/etox_bad_word_checker.py"]


def test_a_demo_that_filters_bad_word_ids_from_replies_is_a_safety_classifier(tmp_path):
    found = check(tmp_path, {"basic_demo/cli_demo_bad_word_ids.py":
                             '"""Filter unwanted words from the model\'s replies with bad_words_ids."""\n'
                             "response = model.chat(tokenizer, query, bad_words_ids=bad_words_ids)\n"})
    assert found["guardrails.safety_classifier"].status == "present"


# --- moderation services called from serving code (haotian-liu/LLaVA, lm-sys/FastChat): the file's
# name says nothing (utils.py); its content does

_LLAVA_UTILS = '''import os

import requests


def violates_moderation(text):
    """Check whether the text violates OpenAI moderation API."""
    url = "https://api.openai.com/v1/moderations"
    headers = {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}
    ret = requests.post(url, headers=headers, json={"input": text}, timeout=5)
    return ret.json()["results"][0]["flagged"]
'''

_FASTCHAT_UTILS = '''def oai_moderation(text):
    import openai

    client = openai.OpenAI()
    res = client.moderations.create(input=text)
    return res.results[0].flagged
'''


def test_serving_code_that_calls_a_moderation_endpoint_is_a_safety_classifier(tmp_path):
    for name, files in {"llava": {"llava/utils.py": _LLAVA_UTILS},
                        "fastchat": {"fastchat/utils.py": _FASTCHAT_UTILS}}.items():
        found = check(tmp_path / name, files)["guardrails.safety_classifier"]
        assert found.status == "present", name
        assert [e.path for e in found.evidence] == list(files), name
        assert "moderation service" in found.evidence[0].reason


def test_moderation_in_prose_or_in_vendored_code_is_no_safety_classifier(tmp_path):
    found = check(tmp_path, {
        "llava/utils.py": "# TODO: add content moderation one day\nMODERATION = False\n",
        "third_party/openai_client/api.py": _FASTCHAT_UTILS})
    assert found["guardrails.safety_classifier"].status == "missing"


def test_a_badge_or_a_bad_request_handler_is_no_safety_classifier(tmp_path):
    found = check(tmp_path, {"scripts/make_badge.py": "print('badge')\n", "server/bad_request.py": "pass\n",
                             "docs/badwords.md": "A list of words we avoid in our docs.\n"})
    assert found["guardrails.safety_classifier"].status == "missing"


# --- console-script entry points (coqui-ai/TTS setup.py, SWivid/F5-TTS pyproject.toml, kyutai-labs/moshi)

_SYNTHESIZE = '''"""Command line interface."""
import argparse


def main():
    parser = argparse.ArgumentParser(description="Speak the given text.")
    parser.add_argument("--text", type=str)
    args = parser.parse_args()
    print(args.text)
'''


def test_a_console_script_named_for_its_task_makes_its_module_inference_code(tmp_path):
    setup_py = ('from setuptools import setup\n\nsetup(\n    name="TTS",\n    entry_points={"console_scripts": '
                '["tts=TTS.bin.synthesize:main", "tts-server = TTS.server.server:main"]},\n)\n')
    found = check(tmp_path, {"setup.py": setup_py, "TTS/__init__.py": "", "TTS/bin/synthesize.py": _SYNTHESIZE,
                             "TTS/bin/__init__.py": ""})
    inference = found["code.inference"]
    assert inference.status == "present"
    ev = next(e for e in inference.evidence if "console script `tts`" in e.reason)
    assert ev.path == "TTS/bin/synthesize.py" and "setup.py" in ev.reason
    # tts-server's module is not in the tree: the declaration itself is the evidence
    assert any(e.path == "setup.py" and e.line == 5 for e in inference.evidence if "`tts-server`" in e.reason)


def test_pyproject_scripts_tell_fine_tuning_from_inference(tmp_path):
    pyproject = ('[project]\nname = "f5-tts"\nversion = "1.0"\n\n[project.scripts]\n'
                 '"f5-tts_infer-cli" = "f5_tts.infer.infer_cli:main"\n'
                 '"f5-tts_finetune-cli" = "f5_tts.train.finetune_cli:main"\n')
    found = check(tmp_path, {"pyproject.toml": pyproject, "src/f5_tts/infer/infer_cli.py": _SYNTHESIZE,
                             "src/f5_tts/train/finetune_cli.py": _SYNTHESIZE})
    assert any(e.path == "src/f5_tts/train/finetune_cli.py" and "console script" in e.reason
               for e in found["code.fine_tuning"].evidence)
    assert found["code.training"].status == "missing"


def test_setup_cfg_scripts_are_read_and_a_script_named_for_nothing_proves_nothing(tmp_path):
    cfg = "[metadata]\nname = tool\n\n[options.entry_points]\nconsole_scripts =\n    tool = tool.cli:main\n    tool-eval = tool.evaluate:run\n"
    found = check(tmp_path, {"setup.cfg": cfg, "tool/cli.py": _SYNTHESIZE})
    evaluation = found["code.evaluation"]
    assert evaluation.status == "present"
    # the module is not in the tree: the evidence points at the declaration, with its line
    assert [(e.path, e.line) for e in evaluation.evidence if "console script" in e.reason] == [("setup.cfg", 7)]
    assert found["code.inference"].status == "missing"


# --- unseen repositories (hold-out labels, 2026-12-02): karpathy/llama2.c, mistralai/mistral-inference,
#     openai/improved-diffusion, meta-llama/PurpleLlama, openai/whisper

def test_a_paper_the_readme_uses_is_not_its_own_paper(tmp_path):
    readme = ("# llama2.c\n\nTrain the Llama 2 architecture in PyTorch, then run it with one file of C.\n\n## training\n\n"
              "Look at the table at the very end of the [Chinchilla paper](https://arxiv.org/abs/2203.15556) to get a "
              "sense of how the Transformer parameters grow or shrink together.\n\n## References\n\n"
              "[1]: [LoRA](https://arxiv.org/abs/2106.09685): Low-Rank Adaptation of Large Language Models, Hu et al. 2021\n")
    assert check(tmp_path, {"README.md": readme})["docs.publication"].status == "missing"


def test_the_codebase_for_a_linked_paper_links_its_paper(tmp_path):
    readme = ("# improved-diffusion\n\nThis is the codebase for [Improved Denoising Diffusion Probabilistic Models]"
              "(https://arxiv.org/abs/2102.09672).\n\nUse the uniform stride from the [DDIM paper]"
              "(https://arxiv.org/abs/2010.02502) rather than ours.\n")
    pub = check(tmp_path, {"README.md": readme})["docs.publication"]
    assert pub.status == "linked" and "2102.09672" in pub.evidence[0].reason


def test_a_paper_on_a_labs_publication_page_or_openreview_is_a_publication(tmp_path):
    readme = ("# Purple Llama\n\nTools for trust and safety.\n\n## Llama Guard\n\nSee the [paper](https://ai.meta.com/"
              "research/publications/llama-guard-llm-based-input-output-safeguard-for-human-ai-conversations/).\n")
    pub = check(tmp_path / "a", {"README.md": readme})["docs.publication"]
    assert pub.status == "linked" and "paper page" in pub.evidence[0].reason
    other = "# Model\n\nOur paper: https://openreview.net/forum?id=AbCdEf123\n"
    assert check(tmp_path / "b", {"README.md": other})["docs.publication"].status == "linked"


def test_a_notebook_that_scores_transcripts_is_evaluation_code(tmp_path):
    import json
    nb = {"cells": [{"cell_type": "code", "source": ["import jiwer\n", "from whisper.normalizers import EnglishTextNormalizer\n"]},
                    {"cell_type": "markdown", "source": ["# Word error rate\n"]},
                    {"cell_type": "code", "source": ['wer = jiwer.wer(list(data["reference_clean"]), list(data["hypothesis_clean"]))\n',
                                                    'print(f"WER: {wer * 100:.2f} %")\n']}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    found = check(tmp_path, {"README.md": "# whisper\n", "notebooks/LibriSpeech.ipynb": json.dumps(nb)})
    assert found["code.evaluation"].status == "present"
    assert "jiwer" in found["code.evaluation"].evidence[0].reason


def test_a_metric_library_in_a_list_of_packages_to_install_is_not_evaluation_code(tmp_path):
    """lightshifted/dreambooth_pets's venv installer lists ``jiwer`` among the packages it installs;
    nothing in the repository scores a model. The metric libraries count where they are imported
    or called (whisper's notebook above)."""
    installer = ('import subprocess\n\n\ndef install_packages():\n    packages = [\n'
                 '        "git+https://github.com/huggingface/transformers",\n        "evaluate",\n'
                 '        "huggingface_hub",\n        "jiwer",\n        "bitsandbytes",\n        "accelerate",\n    ]\n'
                 '    for package in packages:\n        subprocess.run(["pip", "install", package], check=True)\n')
    found = check(tmp_path, {"README.md": "# DreamBooth on pets\n", "config/install_venv_env.py": installer})
    assert found["code.evaluation"].status == "missing"
    scorer = "from rouge_score import rouge_scorer\n\nscorer = rouge_scorer.RougeScorer(['rougeL'])\n"
    found = check(tmp_path / "b", {"README.md": "# Summariser\n", "score_summaries.py": scorer})
    assert found["code.evaluation"].status == "present"


def test_a_pipeline_named_so_is_not_inference_code_by_its_name(tmp_path):
    """"Pipeline" names data and training pipelines as often as inference ones: RedPajama-Data's
    app/src/pipeline.py runs its data workers, Chien317/chinese-clip-finetune's
    model_training/scripts/train_pipeline.sh trains then fine-tunes. Neither runs the model, and
    neither name says it does; a ``pipeline(`` call in the content still does."""
    data = ("import argparse\nfrom concurrent.futures import ProcessPoolExecutor, as_completed\n\n"
            "from core.worker import Worker\n\n\ndef main(args):\n    with ProcessPoolExecutor() as pool:\n"
            "        futures = [pool.submit(Worker(lang).run) for lang in args.languages]\n")
    train = ("#!/bin/bash\n# training pipeline: first the large dataset, then fine-tune on the private one\n"
             "cd $(dirname $0)/..\nmkdir -p experiments\n")
    found = check(tmp_path, {"README.md": "# Data\n", "app/src/pipeline.py": data,
                             "model_training/scripts/train_pipeline.sh": train})
    assert found["code.inference"].status == "missing"
    caption = "from transformers import pipeline\n\ncaptioner = pipeline('image-to-text', model='./out')\n"
    found = check(tmp_path / "b", {"README.md": "# Captions\n", "pipeline.py": caption})
    assert found["code.inference"].status == "present"


def test_a_script_that_calls_a_model_runners_predict_is_inference_code(tmp_path):
    """google-deepmind/alphafold's run_alphafold.py (a console script whose name says no role)
    predicts structures with ``model_runner.predict(...)``: running the model is what it is for."""
    script = ('"""Full AlphaFold protein structure prediction script."""\n\n\ndef predict_structure(model_runners):\n'
              '    for model_name, model_runner in model_runners.items():\n'
              '        prediction_result = model_runner.predict(\n'
              '            processed_feature_dict, random_seed=model_random_seed)\n')
    found = check(tmp_path, {"README.md": "# AlphaFold\n", "run_alphafold.py": script})
    assert found["code.inference"].status == "present"
    assert "model_runner.predict(" in found["code.inference"].evidence[0].reason


def test_a_script_that_makes_an_inference_runner_is_inference_code_a_task_named_for_inference_is_not(tmp_path):
    """xai-org/grok-1's run.py (a name that says nothing) loads the checkpoint into an
    ``InferenceRunner`` and samples a completion; pythia's term-frequency study defines evaluation
    tasks named ``OperationInferenceAdd``, which run no model of their own."""
    run = ("from model import LanguageModelConfig, TransformerConfig\n"
           "from runners import InferenceRunner, ModelRunner, sample_from_model\n\nCKPT_PATH = './checkpoints/'\n\n\n"
           "def main():\n    grok_1_model = LanguageModelConfig(vocab_size=128 * 1024, model=TransformerConfig(emb_size=6144))\n"
           "    inference_runner = InferenceRunner(\n        pad_sizes=(1024,),\n"
           "        runner=ModelRunner(model=grok_1_model, checkpoint_path=CKPT_PATH),\n        load=CKPT_PATH,\n    )\n"
           "    inference_runner.initialize()\n    gen = inference_runner.run()\n"
           "    print(sample_from_model(gen, 'The answer to life', max_len=100, temperature=0.01))\n")
    found = check(tmp_path, {"README.md": "# Grok-1\n", "run.py": run})
    assert found["code.inference"].status == "present"
    assert "InferenceRunner(" in found["code.inference"].evidence[0].reason
    task = ("class OperationInferenceAdd(NumericalReasoningBaseTask):\n    VERSION = 0\n\n"
            "    def doc_to_text(self, doc):\n        return doc['question']\n")
    found = check(tmp_path / "b", {"README.md": "# Term frequency\n", "case-studies/term_frequency/task.py": task})
    assert found["code.inference"].status == "missing"


def test_a_chart_named_for_evaluation_results_is_a_results_figure_wherever_the_readme_shows_it(tmp_path):
    """Stability-AI/generative-models shows its SDXL preference win rates as
    ``assets/001_with_eval.png`` in a news entry, under no evaluation heading: the file's name says
    what it shows. A diagram of how an evaluation runs says it too, and is not a result."""
    readme = ("# Generative Models by Stability AI\n\n## News\n\n**July 26, 2023**\n\n"
              "- We are releasing two new open models with a permissive license:\n"
              "    - SDXL-base-1.0: An improved version over SDXL-base-0.9.\n\n"
              "![sample2](assets/001_with_eval.png)\n\n**July 4, 2023**\n\n- A technical report on SDXL.\n")
    found = check(tmp_path, {"README.md": readme, "assets/001_with_eval.png": b"\x89PNG\r\n"})
    assert found["docs.evaluation"].status == "present"
    assert "001_with_eval.png" in found["docs.evaluation"].evidence[0].reason
    diagram = readme.replace("assets/001_with_eval.png", "assets/evaluation_pipeline.png")
    found = check(tmp_path / "b", {"README.md": diagram, "assets/evaluation_pipeline.png": b"\x89PNG\r\n"})
    assert found["docs.evaluation"].status != "present"


def test_a_table_of_retrieval_metrics_in_an_evaluation_document_is_a_results_table(tmp_path):
    """Chien317/chinese-clip-finetune reports its fine-tuned Chinese-CLIP models in
    docs/PERFORMANCE_EVALUATION.md: Recall@1/5/10 in both directions, one row per model, under
    headings that name the test sets in Chinese. R@K, MRR and NDCG name retrieval results as
    accuracy names classification ones; the table of metric definitions above it holds no number."""
    doc = ("# 性能评估\n\n## 评估指标\n\n| 指标 | 描述 | 计算方法 |\n|------|------|----------|\n"
           "| Recall@K | 正确结果出现在Top-K结果中的比例 | 正确匹配出现在Top-K结果中的样本数 / 总样本数 |\n\n"
           "## 6. 实验结果\n\n### MUGE 测试集\n\n"
           "| 模型 | R@1 (T→I) | R@5 (T→I) | R@10 (T→I) | R@1 (I→T) | R@5 (I→T) | R@10 (I→T) |\n"
           "|------|-----------|-----------|------------|-----------|-----------|------------|\n"
           "| 原始Chinese-CLIP | 31.2% | 59.7% | 73.1% | 28.7% | 56.4% | 71.3% |\n"
           "| MUGE微调 | 42.3% | 71.5% | 82.4% | 39.8% | 68.9% | 80.2% |\n")
    found = check(tmp_path, {"README.md": "# Chinese-CLIP fine-tuning\n", "docs/PERFORMANCE_EVALUATION.md": doc})
    assert found["docs.evaluation"].status == "present"
    assert found["docs.evaluation"].evidence[0].path == "docs/PERFORMANCE_EVALUATION.md"


def test_a_paper_named_like_the_repository_folder_is_its_own_even_when_checked_as_dot(tmp_path, monkeypatch):
    repo = tmp_path / "chinchilla"
    readme = "# Scaling study\n\nSee the [Chinchilla paper](https://arxiv.org/abs/2203.15556) for the results.\n"
    check(repo, {"README.md": readme})
    monkeypatch.chdir(repo)
    found = {f.component: f for f in detectors.run(local.load("."), {})}
    assert found["docs.publication"].status == "linked"


# --- evaluation results are output, not code (EleutherAI/pythia)

def test_eval_result_jsons_that_embed_the_training_config_are_not_training_code(tmp_path):
    # pythia: hundreds of lm-eval-harness result JSONs under evals/ carry the GPT-NeoX config the
    # checkpoint was trained with, and "deduped" in their names made them preprocessing candidates;
    # the training configs themselves are models/<size>/*.yml
    config = '{\n  "optimizer": {"type": "Adam", "params": {"lr": 0.0006}},\n  "train_micro_batch_size_per_gpu": 32,\n' \
             '  "zero_optimization": {"stage": 1},\n  "train_iters": 143000\n}\n'
    result = '{\n  "results": {"sciq": {"acc": 0.871, "acc_stderr": 0.0106}},\n  "config": {"neox_args": ' + config + "}}\n"
    name = "evals/bias-evals/intervention-1.3b-deduped-step67000_eval_results_01-21-2023-20-16-29.json"
    # named after the model only: "deduped" says what the model was trained on, it is no dedup script
    other = "evals/pythia-v1/pythia-1.4b-deduped/intervention/intervention-1.4b-deduped-long_step132000.json"
    found = check(tmp_path / "a", {"README.md": "# Pythia\n", name: result, other: result,
                                   "models/160M/pythia-160m.yml": config})
    training = found["code.training"]
    assert training.status == "present"
    assert [e.path for e in training.evidence] == ["models/160M/pythia-160m.yml"]
    # with only the results, the tree holds no training code at all
    alone = check(tmp_path / "b", {"README.md": "# Pythia\n", name: result, other: result})
    assert alone["code.training"].status == "missing"
    assert alone["code.preprocessing"].status == "missing"
    assert alone["docs.evaluation"].status == "present"


# --- small fine-tuning projects (blind hold-out labels, 2026-12-04): W-Kaski/qwen-qlora-sql-benchmark,
# eginugraha/Paligemma-Iam-Line-Qlora, 01-ai/Yi, THUDM/CogVideo, SCAI-Lab/BP-AI-model-card,
# tduybao7605/Qwen2.5-3B-fine-tuned, roymacias/medical-qa-qlora-finetune

ADAPTER_CARD = """---
base_model: Qwen/Qwen2.5-1.5B-Instruct
library_name: peft
pipeline_tag: text-generation
license: apache-2.0
tags:
  - lora
  - text-to-sql
---

# Qwen2.5-1.5B Text-to-SQL QLoRA Adapter

A PEFT adapter for schema-conditioned Text-to-SQL generation.

## Training details

Rank 32, three epochs on sql-create-context.

## Evaluation

| split | exact match |
|---|---|
| test | 0.71 |
"""


def test_a_card_kept_for_the_hub_upload_away_from_the_weights_is_found(tmp_path):
    # the adapter itself is uploaded to the Hub; the repository keeps its card in a folder of its own
    # (model_cards/<name>/README.md) or under a README-like name (docs/huggingface/adapter-README.md,
    # Yi's HUGGINGFACE_README.md), nowhere near a weights file or a model config
    for case, path in (("a", "model_cards/qwen25-15b-text2sql-lora-r32/README.md"),
                       ("b", "docs/huggingface/adapter-README.md"), ("c", "HUGGINGFACE_README.md")):
        found = check(tmp_path / case, {"README.md": PROJECT_README, path: ADAPTER_CARD,
                                        "docs/usage/README.md": "# Usage\n\nRun `make serve`.\n"})
        card = found["docs.model_card"]
        assert card.status in ("present", "partial"), case
        assert card.facts["primary"] == path
        assert "README with Hugging Face card front matter" in card.evidence[0].reason


def test_front_matter_that_describes_no_model_makes_no_card(tmp_path):
    # THUDM/CogVideo: a Gradio demo's README is a Hugging Face Space configuration (sdk, app_file,
    # emoji, and tags); a docs page's front matter has a licence and tags but nothing only a card has
    space = "---\ntitle: CogVideoX-5B\nemoji: 🎥\nsdk: gradio\napp_file: app.py\ntags:\n  - cogvideox\n---\n\n# Demo\n"
    page = "---\nlicense: apache-2.0\ntags: [guide]\nlanguage: en\n---\n\n# Deployment guide\n"
    found = check(tmp_path, {"README.md": PROJECT_README, "inference/gradio_demo/README.md": space,
                             "docs/guide/README.md": page})
    card = found["docs.model_card"]
    assert card.status == "missing"
    reasons = " ".join(e.reason for e in card.evidence)
    assert "Space" in reasons and "docs/guide/README.md" in {e.path for e in card.evidence}


def test_a_readme_titled_with_the_repositorys_slug_is_not_titled_as_a_model_card(tmp_path):
    # SCAI-Lab/BP-AI-model-card: a reporting framework whose README's title is its repository name
    readme = ("# BP-AI-model-card\nBlood pressure estimation models: a guideline on model reporting.\n\n"
              "## Intended use\n\nFor researchers who report cuffless BP models.\n\n"
              "## Evaluation\n\nTables per calibration pathway.\n\n## Limitations\n\nExample data only.\n")
    assert check(tmp_path / "a", {"README.md": readme})["docs.model_card"].status == "missing"
    titled = readme.replace("# BP-AI-model-card", "# Model Card: BP estimator")
    assert check(tmp_path / "b", {"README.md": titled})["docs.model_card"].status in ("present", "partial")


def test_instruction_tuned_weights_are_aligned_but_not_safety_aligned_without_a_safety_purpose(tmp_path):
    # tduybao7605/Qwen2.5-3B-fine-tuned: TRL stamps "trl" and "sft" on the card of every fine-tune it
    # saves, here a café chatbot's; the weights are instruction-aligned (the component), and the
    # report says they were not aligned for safety
    card = "---\nbase_model: Qwen/Qwen2.5-3B-Instruct\nlibrary_name: peft\ntags:\n- trl\n- sft\n---\n\n# cadebot-lora\n"
    found = check(tmp_path / "a", {"cadebot-lora/README.md": card,
                                   "cadebot-lora/adapter_model.safetensors": b"\0" * 64,
                                   "cadebot-lora/adapter_config.json": '{"peft_type": "LORA"}'})
    aligned = found["guardrails.aligned_weights"]
    assert aligned.status == "present"
    assert aligned.facts["safety_alignment"] is False
    safety = card.replace("# cadebot-lora\n", "# cadebot-lora\n\nSafety-tuned with refusal training data.\n")
    found = check(tmp_path / "b", {"cadebot-lora/README.md": safety,
                                   "cadebot-lora/adapter_model.safetensors": b"\0" * 64})
    assert found["guardrails.aligned_weights"].facts["safety_alignment"] is True


def test_an_adapter_config_without_its_weights_is_no_adapter(tmp_path):
    # roymacias/medical-qa-qlora-finetune: adapter_config.json and the tokenizer are committed,
    # *.safetensors is git-ignored
    found = check(tmp_path, {"README.md": "# Medical QA\n",
                             "artifacts/run/adapter/adapter_config.json": '{"peft_type": "LORA"}',
                             "artifacts/run/adapter/tokenizer_config.json": "{}"})
    adapter = found["weights.adapter"]
    assert adapter.status == "missing"
    assert adapter.evidence[0].path == "artifacts/run/adapter/adapter_config.json"
    assert "not in the repository" in adapter.evidence[0].reason


# --- the root README is still the front page when the card lives in a folder (01-ai/Yi,
# InternLM/InternLM, suno-ai/bark), and not every link in it is a dataset (salesforce/BLIP,
# google-research/vision_transformer, black-forest-labs/flux)

FRONT_PAGE = """# Yi

## News

- 2024-03-16: Yi-9B-200K released.
- 2024-01-23: Yi-34B-Chat quantised models released.

## Training data

Pre-trained on [the Yi corpus sample](https://huggingface.co/datasets/01-ai/yi-corpus-sample) of 3.1T tokens.

## Usage

```python
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained("01-ai/Yi-6B")
```
"""


def test_the_root_readme_names_data_changes_and_usage_when_the_card_lives_elsewhere(tmp_path):
    found = check(tmp_path, {"README.md": FRONT_PAGE, "HUGGINGFACE_README.md": ADAPTER_CARD})
    assert found["docs.model_card"].facts["primary"] == "HUGGINGFACE_README.md"
    data = found["data.pretraining"]
    assert data.status == "linked"
    assert data.evidence[0].path == "README.md" and "01-ai/yi-corpus-sample" in data.evidence[0].url
    changes = found["docs.changelog"]
    assert changes.status == "present" and changes.evidence[0].path == "README.md"
    usage = found["code.inference"]
    assert usage.status == "linked" and usage.evidence[0].path == "README.md"


def test_links_to_checkpoints_or_to_a_licence_text_are_not_datasets(tmp_path):
    readme = ("# BLIP\n\n## Finetuned checkpoints\n\n"
              "| Task | BLIP w/ ViT-B |\n|---|---|\n| Image-Text Retrieval (COCO) | "
              "[Download](https://storage.googleapis.com/sfr-vision-language-research/BLIP/models/model_base_retrieval_coco.pth) |\n\n"
              "## Open-weight models\n\nThe weights of the autoencoder are also released under "
              "[apache-2.0](https://huggingface.co/datasets/choosealicense/licenses/blob/main/markdown/apache-2.0.md).\n")
    found = check(tmp_path / "a", {"README.md": readme})
    for stage in ("data.pretraining", "data.fine_tuning", "data.preference", "data.evaluation"):
        assert found[stage].status == "missing", stage
    # the same hosts still give datasets when the link is to one
    data = readme + "\n## Data\n\nThe [captions](https://storage.googleapis.com/sfr-vision-language-research/datasets/coco_karpathy_train.json).\n"
    assert check(tmp_path / "b", {"README.md": data})["data.pretraining"].status == "linked"


def test_a_licence_kept_as_a_pdf_is_listed_unidentified_and_a_sample_agreement_is_not_a_licence(tmp_path):
    # kuotunyu/tw-med-llm-qlora keeps its base model's licence as model_card/TAIDE-GEMMA-LICENSE.pdf;
    # guardrails-ai/guardrails has a credit-card agreement PDF among its example data
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8
    found = check(tmp_path, {"LICENSE": "MIT License\n", "model_card/TAIDE-GEMMA-LICENSE.pdf": pdf,
                             "docs/examples/data/chase_card_agreement.pdf": pdf})
    lic = found["distribution.license"]
    assert lic.facts["unidentified_files"] == ["model_card/TAIDE-GEMMA-LICENSE.pdf"]
    pdf_ev = [e for e in lic.evidence if e.path == "model_card/TAIDE-GEMMA-LICENSE.pdf"]
    assert pdf_ev and "PDF" in pdf_ev[0].reason
    assert all(e.path != "docs/examples/data/chase_card_agreement.pdf" for e in lic.evidence)


def test_a_paper_the_work_drew_on_is_not_its_own(tmp_path):
    # zer0int/CLIP-fine-tune: "GmP inspired by [this paper]", "read more in the paper [When Does Label
    # Smoothing Help? / Google Brain]"; openai/consistency_models: "the paper [Consistency Models]" is its own
    drew_on = ("# CLIP-fine-tune\n\n## Changes\n\n"
               "- Geometric Parameterization (GmP) inspired by [this paper](https://arxiv.org/abs/2305.15912v4).\n"
               "- Read more in the paper [When Does Label Smoothing Help? / Google Brain](https://arxiv.org/abs/1906.02629).\n")
    assert check(tmp_path / "CLIP-fine-tune", {"README.md": drew_on})["docs.publication"].status == "missing"
    own = "# Consistency Models\n\nThis repository contains the codebase for the paper [Consistency Models](https://arxiv.org/abs/2303.01469).\n"
    found = check(tmp_path / "consistency_models", {"README.md": own})["docs.publication"]
    assert found.status == "linked" and "2303.01469" in found.evidence[0].url
    ours = "# Pythia\n\nSee our paper [A Suite for Analyzing Large Language Models](https://arxiv.org/abs/2304.01373).\n"
    assert check(tmp_path / "suite", {"README.md": ours})["docs.publication"].status == "linked"
    # openai/CLIP's card: the two papers its form drew on come first; its own paper is linked below
    card = ("# Model Card: CLIP\n\nInspired by [Model Cards for Model Reporting (Mitchell et al.)](https://arxiv.org/abs/1810.03993)"
            " and [Lessons from Archives (Jo & Gebru)](https://arxiv.org/pdf/1912.10389.pdf), we're providing some "
            "accompanying information about the multimodal model.\n\n## Model Details\n\n### Documents\n\n"
            "- [CLIP Paper](https://arxiv.org/abs/2103.00020)\n")
    found = check(tmp_path / "CLIP", {"model-card.md": card})["docs.publication"]
    assert found.status == "linked" and found.evidence[0].url.endswith("2103.00020")


def test_a_readme_headed_with_its_papers_title_links_that_title_to_its_paper(tmp_path):
    # kimyuji/Fine-tune-with-Few-Samples: "## <paper title>", then the title in bold linked to arXiv,
    # then the authors; no "paper" word anywhere near it
    title = "How to Fine-tune Models with Few Samples : Update, Data Augmentation, and Test-time Augmentation"
    readme = (f"## {title}\nThe previous version was accepted at a workshop (Oral). <br><br>\n"
              f"[**{title}**](https://arxiv.org/abs/2205.07874v3)<br>\n[Yujin Kim](https://example.org), Jaehoon Oh\n\n"
              "To implement data augmentation,\n```\npython ./finetune.py --n_shot 5\n```\n")
    found = check(tmp_path / "a", {"README.md": readme})["docs.publication"]
    assert found.status == "linked" and "2205.07874" in found.evidence[0].reason
    # a link under another title is some other work's paper; a one-word heading names a method, not a title
    other = readme.replace(f"## {title}", "## Few-shot fine-tuning experiments")
    assert check(tmp_path / "b", {"README.md": other})["docs.publication"].status == "missing"
    method = "## LoRA\n\nWe fine-tune with [LoRA](https://arxiv.org/abs/2106.09685).\n"
    assert check(tmp_path / "c", {"README.md": method})["docs.publication"].status == "missing"


def test_a_data_sampler_and_a_training_command_are_not_inference(tmp_path):
    # kimyuji/Fine-tune-with-Few-Samples: datasets/sampler.py is a torch episode Sampler, and the README's
    # "python ./finetune.py ... --model simclr" fine-tunes; apple/corenet keeps its batch samplers in data/sampler/
    sampler = ("import torch\n\n\nclass EpisodicBatchSampler(torch.utils.data.Sampler):\n"
               "    def __iter__(self):\n        for _ in range(self.n_episodes):\n"
               "            yield torch.randperm(self.n_classes)[:self.n_way]\n")
    readme = ("# Few-shot fine-tuning\n\nTo implement data augmentation,\n```\n"
              "python ./finetune.py --ls --backbone resnet10 --model simclr --n_shot 5\n```\n")
    found = check(tmp_path / "a", {"README.md": readme, "datasets/sampler.py": sampler,
                                   "corenet/data/sampler/base_sampler.py": sampler})
    assert found["code.inference"].status == "missing"
    # a sampler outside a data folder samples the model (a diffusion sampler), and a --model option on a
    # command that runs another script is still a usage snippet
    found = check(tmp_path / "b", {"README.md": readme, "ldm/models/diffusion/sampler.py": sampler})
    assert [e.path for e in found["code.inference"].evidence][:1] == ["ldm/models/diffusion/sampler.py"]
    serve = readme.replace("python ./finetune.py --ls --backbone resnet10", "python generate.py")
    found = check(tmp_path / "c", {"README.md": serve})["code.inference"]
    assert found.status == "linked" and "--model" in found.evidence[0].reason


def test_a_thesis_about_the_model_in_the_tree_is_its_paper(tmp_path):
    # LoicSERRE/mistral-qlora-decp: a French master's thesis (memoire/memoire_ADS.pdf) on the fine-tune;
    # cristovamperes/llm-ptbr-from-scratch-vs-qlora: a Brazilian MBA thesis, documento/pdf/tcc.pdf
    pdf = b"%PDF-1.5\n%stub\n"
    readme = "# Projet de memoire\n\nFine-tuning de Mistral 7B avec QLoRA.\n"
    # shahinkm/Stable-Diffusion-LoRA-Finetuning (blind hold-out 14): the master's project report, report/MSAI_MasterProject.pdf
    for rel in ("memoire/memoire_ADS.pdf", "documento/pdf/tcc.pdf", "docs/Master_Thesis.pdf", "report/MSAI_MasterProject.pdf"):
        found = check(tmp_path / rel.replace("/", "_"), {"README.md": readme, rel: pdf})["docs.publication"]
        assert found.status == "present" and found.evidence[0].path == rel
    # a PDF whose name only contains the letters of one is not a thesis
    for rel in ("docs/synthesis_results.pdf", "figures/hypothesis_test.pdf", "docs/project_plan.pdf"):
        found = check(tmp_path / rel.replace("/", "_"), {"README.md": readme, rel: pdf})["docs.publication"]
        assert found.status == "missing"


def test_a_licence_pdf_is_never_read(tmp_path):
    # the use-policy detector reads the licence detector's files for use restrictions: not a PDF's bytes
    check(tmp_path, {"LICENSE": "MIT License\n", "model_card/TAIDE-GEMMA-LICENSE.pdf": b"%PDF-1.7\n" + b"\xff" * 4096})
    inv = local.load(str(tmp_path))
    detectors.run(inv, {})
    assert "model_card/TAIDE-GEMMA-LICENSE.pdf" not in inv.read_extent()
    assert "LICENSE" in inv.read_extent()


def test_a_paper_linked_where_no_paper_host_is_counts_when_the_link_says_it_is_the_paper(tmp_path):
    # bigcode-project/starcoder heads its README with "[Paper](drive.google.com/…) | [Model](…)";
    # google-deepmind/gemma lists "Technical reports" as "[Gemma 3](…/Gemma3Report.pdf)"; the labelling
    # rules count a report PDF on a website or drive
    header = ("# 💫 StarCoder\n\n[Paper](https://drive.google.com/file/d/1cN-b9GnWtHz/view) | "
              "[Model](https://huggingface.co/bigcode/starcoder) | [Playground](https://example.org)\n\n"
              "# What is this about?\nStarCoder is a language model trained on source code.\n")
    found = check(tmp_path / "starcoder", {"README.md": header})["docs.publication"]
    assert found.status == "linked" and found.evidence[0].url.startswith("https://drive.google.com/")
    reports = ("# Gemma\n\n## Learn more about Gemma\n\n* Technical reports for metrics and model capabilities:\n"
               "  * [Gemma 1](https://goo.gle/GemmaReport)\n"
               "  * [Gemma 3](https://storage.googleapis.com/deepmind-media/gemma/Gemma3Report.pdf)\n")
    found = check(tmp_path / "gemma", {"README.md": reports})["docs.publication"]
    assert found.status == "linked" and found.evidence[0].url.endswith("Gemma3Report.pdf")
    # another model's report (huggingface/open-r1), and a PDF cited by its authors (Stability-AI/StableLM)
    # are third-party work
    guide = "# Open R1\n\nWe will use the DeepSeek-R1 [tech report](https://github.com/deepseek-ai/DeepSeek-R1) as a guide.\n"
    assert check(tmp_path / "open-r1", {"README.md": guide})["docs.publication"].status == "missing"
    cited = ("# StableLM\n\nGiven prior success in this area ([Taylor et al., 2022]"
             "(https://galactica.org/static/paper.pdf)), we train for four epochs.\n")
    assert check(tmp_path / "StableLM", {"README.md": cited})["docs.publication"].status == "missing"


def test_a_script_that_runs_the_stable_diffusion_safety_checker_is_a_guardrail(tmp_path):
    # CompVis/stable-diffusion: scripts/txt2img.py loads StableDiffusionSafetyChecker and runs it on every
    # image it generates (lightshifted/dreambooth_pets wires it into its pipeline the same way)
    script = ("import torch\nfrom diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker\n"
              "from transformers import AutoFeatureExtractor\n\n"
              "safety_checker = StableDiffusionSafetyChecker.from_pretrained('CompVis/stable-diffusion-safety-checker')\n\n\n"
              "def check_safety(x_image):\n    checked, has_nsfw_concept = safety_checker(images=x_image, clip_input=x_image)\n"
              "    return checked, has_nsfw_concept\n\n\ndef main():\n    model = load_model_from_config(config, opt.ckpt)\n"
              "    samples = model.decode_first_stage(sampler.sample(steps=50))\n    images, _ = check_safety(samples)\n")
    found = check(tmp_path / "a", {"scripts/txt2img.py": script})["guardrails.safety_classifier"]
    assert found.status == "present" and found.evidence[0].path == "scripts/txt2img.py"
    # a pipeline built with the filter switched off names no checker class
    off = ("import torch\nfrom diffusers import StableDiffusionPipeline\n\n"
           "pipe = StableDiffusionPipeline.from_pretrained('runwayml/stable-diffusion-v1-5', safety_checker=None)\n"
           "image = pipe('a photo of a dog').images[0]\nimage.save('dog.png')\n")
    assert check(tmp_path / "b", {"scripts/txt2img.py": off})["guardrails.safety_classifier"].status == "missing"


def test_a_script_named_as_a_test_that_runs_the_model_is_inference_and_a_unit_test_is_not(tmp_path):
    # theone-ctrl/agriqa-tinyllama-lora-adapter: test_model.py at the root loads the LoRA adapter and
    # generates answers (the README: "Run Inference Test"); a pytest module of the same name checks code
    script = ("from transformers import AutoTokenizer, AutoModelForCausalLM\nfrom peft import PeftModel\nimport torch\n\n"
              "base = AutoModelForCausalLM.from_pretrained('TinyLlama/TinyLlama-1.1B-Chat-v1.0')\n"
              "model = PeftModel.from_pretrained(base, 'theone049/agriqa-tinyllama-lora-adapter')\n\n\n"
              "def generate_answer(model, question):\n    inputs = tokenizer(question, return_tensors='pt')\n"
              "    outputs = model.generate(**inputs, max_new_tokens=256)\n    return tokenizer.decode(outputs[0])\n\n\n"
              "for q in questions:\n    print(generate_answer(model, q))\n")
    found = check(tmp_path / "a", {"test_model.py": script})["code.inference"]
    assert found.status == "present" and found.evidence[0].path == "test_model.py"
    unit = "import pytest\n\n\ndef test_generate(model):\n    assert model.generate(prompt='hi')\n"
    assert check(tmp_path / "b", {"test_model.py": unit})["code.inference"].status == "missing"
    # a sanity check named as a test that overfits a batch trains nothing (FilippoIsoni/Resnet-Based-Chess-Bot)
    overfit = ("import torch\n\nopt = torch.optim.Adam(model.parameters())\nfor step in range(100):\n"
               "    loss = model(batch).mean()\n    loss.backward()\n    opt.step()\n")
    found = check(tmp_path / "c", {"scripts/overfit_test.py": overfit})
    assert found["code.training"].status == "missing"


def test_a_fine_tuning_notebook_that_loads_its_adapter_and_generates_also_runs_the_model(tmp_path):
    # ChallapalliHemanthsaikumar/llama-lora-personal-finetune: one notebook fine-tunes with LoRA, then
    # "To Test The Model" loads the released adapter with PeftModel.from_pretrained and generates
    cells = [_code_cell(["from peft import LoraConfig, get_peft_model\n", "model = get_peft_model(base, LoraConfig(r=8))\n",
                         "trainer = Trainer(model=model, args=args)\n", "trainer.train()\n"], []),
             _code_cell(["model = PeftModel.from_pretrained(base, 'me/lora-llama2-about-me')\n",
                         "out = model.generate(**tokenizer('Who am I?', return_tensors='pt'))\n"], [])]
    found = check(tmp_path / "a", {"notebooks/finetune.ipynb": _jupyter_notebook(cells)})
    assert found["code.fine_tuning"].status == "present" and found["code.inference"].status == "present"
    # a training script that samples from the model it trains is training code only
    sampling = ("trainer = Trainer(model=model, args=args)\ntrainer.train()\n"
                "print(model.generate(**tokenizer('Hello', return_tensors='pt')))\n")
    found = check(tmp_path / "b", {"finetune.py": sampling})
    assert found["code.fine_tuning"].status == "present" or found["code.training"].status == "present"
    assert found["code.inference"].status == "missing"


def test_a_readme_that_opens_with_a_horizontal_rule_has_no_front_matter(tmp_path):
    # Mungert69/GGUFModelBuilder: a blank line, `---`, then Markdown up to the next rule; the Hub's
    # boundary rule reads a block there, but one without a single YAML key is no card's front matter
    readme = ("\n---\n\n## GGUFModelBuilder\n\nThis codebase provides a **model conversion pipeline** designed to:\n\n"
              "* Automate conversion of Hugging Face models to GGUF format\n* Manage a catalog of models\n\n---\n\n"
              "## Installation\n\npip install -r requirements.txt\n")
    found = check(tmp_path / "a", {"README.md": readme})["docs.model_card"]
    assert found.status == "missing"
    # a block with keys that is broken YAML is still a card's front matter, reported as unusable
    broken = "---\nlicense: mit\ntags: [a, b\n---\n\n# Model\n"
    found = check(tmp_path / "b", {"README.md": broken})["docs.model_card"]
    assert found.status == "partial" and "not valid YAML" in found.evidence[1].reason


def test_ultralytics_validation_is_evaluation_code(tmp_path):
    # mtalhaubaid/yolov8-custom-training: a notebook cell `!yolo task=detect mode=val model=…/best.pt`;
    # imemmul/YOLOv8-Custom: model.val(data=…) on the test split
    cells = [_code_cell(["!yolo task=detect mode=train model=yolov8s.pt data=data.yaml epochs=50\n"], []),
             _code_cell(["!yolo task=detect mode=val model=runs/detect/train/weights/best.pt data=data.yaml\n"], [])]
    found = check(tmp_path / "a", {"train.ipynb": _jupyter_notebook(cells)})
    assert found["code.evaluation"].status == "present"
    script = "from ultralytics import YOLO\n\nmodel = YOLO('runs/segment/train/weights/best.pt')\nmetrics = model.val(data='test.yaml')\n"
    assert check(tmp_path / "b", {"src/engine.py": script})["code.evaluation"].status == "present"


def test_a_utility_modules_lone_backward_pass_is_not_training(tmp_path):
    # Kamlesh364/YOLOV8-custom-Inference keeps Ultralytics' torch_utils.py, whose profile() times a backward
    # pass; TencentARC/GFPGAN's gfpgan_model.py runs l_g_total.backward() in optimize_parameters: training
    profile = ("import torch\n\n\ndef profile(x, ops, n=10):\n    for m in ops:\n        y = m(x)\n"
               "        _ = y.sum().backward()\n    return y\n")
    assert check(tmp_path / "a", {"ultralytics/yolo/utils/torch_utils.py": profile})["code.training"].status == "missing"
    model = ("class GFPGANModel(BaseModel):\n    def optimize_parameters(self, step):\n        l_g_total = self.losses()\n"
             "        l_g_total.backward()\n        self.optimizer_g.step()\n")
    assert check(tmp_path / "b", {"gfpgan/models/gfpgan_model.py": model})["code.training"].status == "present"


def test_a_folder_of_pdfs_is_a_document_collection_not_the_projects_paper(tmp_path):
    # Mungert69/GGUFModelBuilder keeps security books and NIST standards for retrieval, among them
    # pdfs/quantum/QuantumSafeWhitepaper.pdf; a paper folder with its figures stays the paper
    pdf = b"%PDF-1.5\n%stub\n"
    docs = {f"pdfs/quantum/{n}.pdf": pdf for n in ("QuantumSafeWhitepaper", "NIST.FIPS.203", "NIST.FIPS.204",
                                                   "NIST.FIPS.205", "pqc-overview")}
    assert check(tmp_path / "a", {"README.md": "# Tool\n", **docs})["docs.publication"].status == "missing"
    paper = {f"paper/fig{i}.pdf": pdf for i in range(5)} | {"paper/main.pdf": pdf}
    assert check(tmp_path / "b", {"README.md": "# Model\n", **paper})["docs.publication"].status == "present"
    one = {"docs/QuantumSafeWhitepaper.pdf": pdf}
    assert check(tmp_path / "c", {"README.md": "# Model\n", **one})["docs.publication"].status == "present"


def test_a_script_named_for_preparing_training_data_is_not_training_code_by_its_name(tmp_path):
    # milkiway7/chronos-fine-tuning: Modules/prepare_candle_data_for_fine_tuning.py reads candles from a
    # database into parquet files; mosaicml/llm-foundry's scripts/data_prep/convert_finetuning_dataset.py
    prep = "import pandas as pd\n\n\ndef prepare(rows):\n    return pd.DataFrame(rows).to_parquet('candles.parquet')\n"
    found = check(tmp_path / "a", {"Modules/prepare_candle_data_for_fine_tuning.py": prep})
    assert found["code.fine_tuning"].status == "missing" and found["code.training"].status == "missing"
    # a fine-tuning script stays one by its name
    found = check(tmp_path / "b", {"Modules/fine_tuning.py": prep})
    assert found["code.fine_tuning"].status == "present"


MIT_TEXT = ("MIT License\n\nCopyright (c) 2024 Example\n\nPermission is hereby granted, free of charge, to any person "
            "obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the "
            "Software without restriction, including without limitation the rights to use, copy, modify, merge, "
            "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the "
            "Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and "
            "this permission notice shall be included in all copies or substantial portions of the Software.\n\n"
            "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT "
            "LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO "
            "EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER "
            "IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR "
            "THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n")


def test_the_licence_of_an_unpacked_package_release_is_not_the_projects(tmp_path):
    # Yasindu-Liyanage/Text-to-Speech-Synthesis-with-Speaker-Adaptation---Sinhala has no licence of its own
    # and ships Coqui TTS 0.22.0 unpacked twice (TTS-0.22.0/, TTS-0.22.0Ubuntu/: setup.py, pyproject.toml,
    # LICENSE.txt); its MPL-2.0 was reported as the project's licence
    release = {"TTS-0.22.0/LICENSE.txt": MIT_TEXT, "TTS-0.22.0/setup.py": "from setuptools import setup\nsetup()\n",
               "TTS-0.22.0/TTS/__init__.py": ""}
    release["TTS-0.22.0/TTS/bin/eval_encoder.py"] = "def main():\n    pass\n"
    findings = check(tmp_path / "a", {"Scripts/train.py": "trainer.fit()\n", **release})
    # its code is third-party code too: reported, and marked as not the project's own
    assert findings["code.evaluation"].facts["vendored_only"]
    found = findings["distribution.license"]
    assert found.status == "missing"
    assert [e.path for e in found.evidence] == [None, "TTS-0.22.0/LICENSE.txt"]
    assert "not the project's licence" in found.evidence[1].reason
    # a model folder named for its version holds the model's own licence (no packaging metadata in it)
    model = {"checkpoints/tiny-1.0.0/LICENSE": MIT_TEXT, "checkpoints/tiny-1.0.0/config.json": "{}"}
    found = check(tmp_path / "b", {"Scripts/train.py": "trainer.fit()\n", **model})["distribution.license"]
    assert found.status == "present" and found.facts["ids"] == ["MIT"]


def test_a_numbered_entry_of_a_reference_list_is_another_works_paper(tmp_path):
    # ugent-korea/pytorch-unet-segmentation ends its README with "## References" and "[1] O. Ronneberger,
    # P. Fischer, and T. Brox. U-Net: ..., http://arxiv.org/pdf/1505.04597.pdf": the paper it implements
    refs = ("# pytorch-unet-segmentation\n\nCell segmentation with U-Net.\n\n## References\n\n"
            "[1] O. Ronneberger, P. Fischer, and T. Brox. U-Net: Convolutional Networks for Biomedical Image "
            "Segmentation, http://arxiv.org/pdf/1505.04597.pdf\n\n[2] P.Y. Simard, D. Steinkraus, J.C. Platt. Best "
            "Practices for Convolutional Neural Networks, http://cognitivemedium.com/assets/rmnist/Simard.pdf\n")
    assert check(tmp_path / "a", {"README.md": refs})["docs.publication"].status == "missing"
    # the project's own paper under a references heading, not as a numbered entry, is still its paper
    own = ("# SegNet-X\n\n## References\n\nOur paper: https://arxiv.org/abs/2401.01234\n")
    assert check(tmp_path / "b", {"README.md": own})["docs.publication"].status == "linked"


def test_a_copied_librarys_named_scripts_are_read_after_the_projects_own(tmp_path):
    # Yasindu-Liyanage's two Coqui TTS copies hold hundreds of train_*/eval_* scripts: read first, they
    # spent the read budget, and the project's own scripts in a folder read last were judged by name only
    from openness_gate.detectors.code import MAX_CONTENT_READS

    files: dict[str, str | bytes] = {"TTS-0.22.0/setup.py": "from setuptools import setup\nsetup()\n"}
    files.update({f"TTS-0.22.0/TTS/bin/train_{i}.py": "trainer.fit()\n" for i in range(MAX_CONTENT_READS - 5)})
    files.update({f"APIs/helper_{i}.py": "x = 1\n" for i in range(9)})
    files["APIs/zz_main.py"] = "from fastapi import FastAPI\napp = FastAPI()\n"
    inv = local.load(str(_written(tmp_path, files)))
    found = {f.component: f for f in detectors.run(inv, {})}
    assert "APIs/zz_main.py" in [e.path for e in found["code.inference"].evidence]
    assert "APIs/zz_main.py" not in inv.incomplete
    assert "TTS-0.22.0/TTS/bin/train_0.py" not in inv.incomplete  # the library is still read, after


def test_a_code_scanners_work_folder_holds_no_licence_of_the_project(tmp_path):
    # ashrafsheri/distil_bert_log_finetune has no licence, but commits SonarScanner's work folder, whose
    # binary control-flow graph of a module named "license" (.scannerwork/ucfg2/python/
    # ucfg___init___license.ucfg) was taken for an unreadable licence file: "Licence: present"
    graph = b"\n\x07license\x12\x18\n\x0e__unknown_file\x10\x01\x18\x01 \x01(\x01\"\x0csimpleReturn"
    found = check(tmp_path, {"README.md": "# Log anomaly detection\n\nA fine-tuned DistilBERT.\n",
                             ".scannerwork/.sonar_lock": "",
                             ".scannerwork/ucfg2/python/ucfg___init___license.ucfg": graph,
                             "train.py": "trainer.train()\n"})
    assert found["distribution.license"].status == "missing"
    assert ".scannerwork/ucfg2/python/ucfg___init___license.ucfg" not in found["distribution.license"].facts.get(
        "unidentified_files", [])


def test_the_licence_of_a_copied_repository_is_not_the_projects(tmp_path):
    # JimmyJamJr/nl-fine-tuning has no licence of its own; nl/core/ and symbolic/core/ are copies of
    # asaparov/core (its README: "The repository is located at <https://github.com/asaparov/core>"), whose
    # Apache-2.0 licence was reported as the project's
    core = {"LICENSE": MIT_TEXT, "core.h": "#ifndef CORE_H\n#define CORE_H\n#endif\n",
            "README.md": "Documentation is at <https://asaparov.org/docs/core>. The repository is located at "
                         "<https://github.com/asaparov/core>.\n\nA small collection of data structures.\n"}
    files = {"README.md": "# Natural-language fine-tuning\n\nCurriculum pre-pretraining of Pythia.\n",
             "nl/pretrain.py": "trainer.train()\n", **{f"nl/core/{k}": v for k, v in core.items()}}
    found = check(tmp_path / "a", files)["distribution.license"]
    assert found.status == "missing"
    assert "nl/core/LICENSE" in [e.path for e in found.evidence]
    # a folder that is the project's own package, whose README links the repository the root README
    # names too (kyutai-labs/moshi: moshi/README.md and README.md both link github.com/kyutai-labs/moshi)
    own = {"README.md": "# Moshi\n\nSee https://github.com/kyutai-labs/moshi for the code.\n",
           "moshi/LICENSE": MIT_TEXT, "moshi/README.md": "# moshi\n\nhttps://github.com/kyutai-labs/moshi\n",
           "moshi/moshi/models.py": "class Moshi:\n    pass\n"}
    assert check(tmp_path / "b", own)["distribution.license"].status == "present"


def test_a_data_generators_bare_generate_call_is_no_inference(tmp_path):
    """gyb357/UNet-Segmentation (blind hold-out, 2026-12-05): main.py builds a U-Net and writes the
    training masks with ``MaskDatasetGenerator(...).generate()``; nothing runs the model on an input.
    A model's generate call is given its prompt or ids; the same script calling the model so is inference."""
    main = ("if __name__ == '__main__':\n"
            "    from dataset.dataset import MaskDatasetGenerator\n"
            "    model = get_model(cfg['name'])(channels=3, num_classes=1)\n"
            "    if task_train:\n"
            "        MaskDatasetGenerator(\n"
            "            cfg['label_dir'],\n"
            "            cfg['mask_dir'],\n"
            "        ).generate()\n")
    assert check(tmp_path / "a", {"main.py": main})["code.inference"].status == "missing"
    calls_model = main + "    out = model.generate(images, max_length=1)\n"
    found = check(tmp_path / "b", {"main.py": calls_model})["code.inference"]
    assert found.status == "present"
    assert ".generate(" in found.evidence[0].reason


def test_a_script_named_for_generating_synthetic_data_is_no_inference_by_its_name(tmp_path):
    """vivek-dodia/Deepseek-R1-8B-MikroTik-Distilled (blind hold-out, 2026-12-05):
    synthetic_generators/synthetic_generator_gemini.py asks the Gemini API for MikroTik documentation
    to distil from; no script runs the distilled model. "generat" in a name suggests inference, unless
    the name says it generates (synthetic) data. A script that runs a model trained on synthetic data
    is inference (Dahoas/reward-modeling's infer_synthetic_pythia_1B.sh)."""
    teacher = ("import google.generativeai as genai\n"
               "genai.configure(api_key=GOOGLE_API_KEY)\n"
               'model = genai.GenerativeModel(model_name="gemini-2.0-flash-exp")\n'
               "def generate_doc(prompt):\n"
               "    response = model.generate_content(prompt)\n"
               "    return response.text\n")
    files = {"synthetic_generators/synthetic_generator_gemini.py": teacher,
             "synthetic_generators/synthetic_generator_deepseek-R1.py": teacher}
    assert check(tmp_path / "a", files)["code.inference"].status == "missing"
    runs = {"scripts/infer_synthetic_pythia_1B.sh": "python infer.py --model_path ckpts/sft_synthetic_1B\n"}
    found = check(tmp_path / "b", runs)["code.inference"]
    assert found.status == "present" and found.evidence[0].path == "scripts/infer_synthetic_pythia_1B.sh"


# --- blind batch 16 (2026-12-05): a diffusion model sampled in notebooks, a chat completion that refuses
# special-tag injection, a citation kept as docs/citation.md

_GLIDE_SAMPLING = ["# Sample from the base model\n", "model.del_cache()\n",
                   "samples = diffusion.p_sample_loop(\n", "    model_fn, (full_batch_size, 3, 64, 64),\n",
                   "    device=device, clip_denoised=True, progress=True, model_kwargs=model_kwargs,\n", ")[:batch_size]\n"]
_GLIDE_LIBRARY = '''class GaussianDiffusion:
    def p_sample_loop(self, model, shape, noise=None, progress=False):
        final = None
        for sample in self.p_sample_loop_progressive(model, shape, noise=noise, progress=progress):
            final = sample
        return final["sample"]
'''


def test_notebooks_that_sample_a_diffusion_model_are_inference(tmp_path):
    """openai/glide-text2im's notebooks (text2im, inpaint, clip_guided) load the checkpoints and sample
    images with ``diffusion.p_sample_loop(...)`` / ``ddim_sample_loop``: names that say nothing, code that
    runs the model. The sampler's own definition, calling its progressive twin, is no inference."""
    found = check(tmp_path / "glide", {
        "notebooks/text2im.ipynb": _jupyter_notebook([_code_cell(_GLIDE_SAMPLING, [])]),
        "glide_text2im/gaussian_diffusion.py": _GLIDE_LIBRARY})
    assert [e.path for e in found["code.inference"].evidence] == ["notebooks/text2im.ipynb"]
    alone = check(tmp_path / "library", {"glide_text2im/gaussian_diffusion.py": _GLIDE_LIBRARY})
    assert alone["code.inference"].status == "missing"


_CODELLAMA_GENERATION = '''B_INST, E_INST = "[INST]", "[/INST]"
B_SYS, E_SYS = "<<SYS>>\\n", "\\n<</SYS>>\\n\\n"
SPECIAL_TAGS = [B_INST, E_INST, "<<SYS>>", "<</SYS>>", "<step>"]
UNSAFE_ERROR = "Error: special tags are not allowed as part of the prompt."


class Llama:
    def chat_completion(self, dialogs, temperature=0.6, top_p=0.9, max_gen_len=None):
        unsafe_requests = []
        for dialog in dialogs:
            unsafe_requests.append(any([tag in msg["content"] for tag in SPECIAL_TAGS for msg in dialog]))
        generation_tokens, _ = self.generate(prompt_tokens=prompt_tokens, max_gen_len=max_gen_len)
        return [{"generation": {"role": "assistant", "content": self.tokenizer.decode(t) if not unsafe else UNSAFE_ERROR}}
                for t, unsafe in zip(generation_tokens, unsafe_requests)]
'''


def test_a_chat_completion_that_refuses_special_tag_injection_is_a_guardrail(tmp_path):
    """facebookresearch/codellama's llama/generation.py answers a dialog holding [INST] or <<SYS>> with
    UNSAFE_ERROR: prompt sanitisation against special-token injection, which the labelling rules count.
    The same file vendored from another project is not this repository's guardrail."""
    found = check(tmp_path / "codellama", {"llama/generation.py": _CODELLAMA_GENERATION})
    guard = found["guardrails.safety_classifier"]
    assert guard.status == "present" and [e.path for e in guard.evidence] == ["llama/generation.py"]
    assert "special tags" in guard.evidence[0].reason
    vendored = check(tmp_path / "vendored", {"third_party/llama/generation.py": _CODELLAMA_GENERATION})
    assert vendored["guardrails.safety_classifier"].status == "missing"


_PII_FILTER = '''"""PII detection / redaction + prompt injection heuristics + sanitization."""
import re
from dataclasses import dataclass

PROMPT_INJECTION_PATTERNS = [
    re.compile(r"ignore\\s+(all\\s+)?previous\\s+instructions", re.I),
    re.compile(r"reveal\\s+(the\\s+)?(secret|system\\s+prompt)", re.I),
]


@dataclass
class InspectionResult:
    has_pii: bool
    has_prompt_injection: bool


def inspect_text(text: str) -> InspectionResult:
    has_inj = any(p.search(text) for p in PROMPT_INJECTION_PATTERNS)
    return InspectionResult(has_pii=False, has_prompt_injection=has_inj)
'''

#: sohailataiml/SMLqLORA's behavioural evaluation: prompt injection is a pressure the tutor model is put under
_INJECTION_SCENARIO = '''from enum import Enum


class PressureType(str, Enum):
    PROMPT_INJECTION = "prompt_injection"
    ROLEPLAY = "roleplay"


def check_scenario(scenario, response):
    if scenario.pressure_type is PressureType.PROMPT_INJECTION:
        return "ignore previous instructions" not in response.lower()
'''


def test_code_that_checks_user_input_for_prompt_injection_is_a_guardrail(tmp_path):
    """ramvadlamudi29-ai/medical-llm-safety's security/pii_filter.py screens every query with
    PROMPT_INJECTION_PATTERNS and the pipeline blocks it: prompt-injection detection, rule (a) of the
    labelling rules. An evaluation that puts a model under injection attempts (sohailataiml/SMLqLORA)
    detects nothing for the user."""
    found = check(tmp_path / "guarded", {"security/pii_filter.py": _PII_FILTER})
    guard = found["guardrails.safety_classifier"]
    assert guard.status == "present" and [e.path for e in guard.evidence] == ["security/pii_filter.py"]
    assert "prompt injection" in guard.evidence[0].reason
    scenario = check(tmp_path / "scenario", {"evaluation/behavioral_checks.py": _INJECTION_SCENARIO})
    assert scenario["guardrails.safety_classifier"].status == "missing"


_SAFETY_DPO = '''
"""
Stage 2: DPO Alignment (Safety Alignment)
----------------------------------------
Applies Direct Preference Optimization (DPO) on LoRA model
using MedSafetyBench preference dataset.
"""
from trl import DPOTrainer, DPOConfig
from peft import PeftModel

model = PeftModel.from_pretrained(base_model, LORA_MODEL_PATH)
dpo_trainer = DPOTrainer(model=model, args=DPOConfig(output_dir="./outputs/dpo_model"), train_dataset=dataset)
dpo_trainer.train()
'''

#: artidoro/qlora's qlora.py: Anthropic's hh-rlhf is one of the datasets it can fine-tune on, no stated purpose
_HH_RLHF_OPTION = '''from transformers import Trainer
from peft import LoraConfig, get_peft_model


def local_dataset(dataset_name):
    if dataset_name == "hh-rlhf":
        return load_dataset("Anthropic/hh-rlhf")


model = get_peft_model(model, LoraConfig(r=64))
trainer = Trainer(model=model, train_dataset=local_dataset("hh-rlhf"))
trainer.train()
'''


def test_training_whose_stated_purpose_is_safety_alignment_is_partial_aligned_weights(tmp_path):
    """AbhishekSinghAulakh/medical-llm-safety-lora-dpo's src/stage2_lora_dpo.py runs DPO and says it is
    "DPO Alignment (Safety Alignment)": code whose stated purpose is safety alignment, rule (e). Reported
    as partial aligned weights: the recipe is here, the weights are not. Fine-tuning on a safety dataset
    among others (artidoro/qlora's hh-rlhf option) states no purpose."""
    found = check(tmp_path / "aligning", {"src/stage2_lora_dpo.py": _SAFETY_DPO})
    aligned = found["guardrails.aligned_weights"]
    assert aligned.status == "partial" and aligned.facts["safety_alignment"] is True
    assert [e.path for e in aligned.evidence] == ["src/stage2_lora_dpo.py"]
    assert "Safety Alignment" in aligned.evidence[0].reason
    assert found["code.fine_tuning"].status == "present"
    option = check(tmp_path / "option", {"qlora.py": _HH_RLHF_OPTION})
    assert option["guardrails.aligned_weights"].status == "missing"


def test_a_citation_file_in_markdown_with_a_bibtex_entry_is_a_citation(tmp_path):
    """Ganesh172919/Finetuning-LLM keeps its citation as docs/citation.md, a BibTeX block under "How to
    Cite": read as CITATION.bib would be. A citation.md without an entry, or one that cites a library the
    project uses, is not the project's publication."""
    bib = ("# Citation\n\nIf you use this codebase in your work, please cite:\n\n```bibtex\n"
           "@software{sota_ai_2026,\n  title={SOTA AI: State-of-the-Art AI from Scratch},\n"
           "  author={SOTA AI Contributors},\n  year={2026}\n}\n```\n")
    for path in ("docs/citation.md", "CITATION.md"):
        found = check(tmp_path / path.replace("/", "_"), {path: bib})
        assert [(e.path, e.reason) for e in found["docs.publication"].evidence] == [(path, "BibTeX citation file")]
    bare = check(tmp_path / "bare", {"docs/citation.md": "# Citation\n\nPlease cite this repository.\n"})
    assert bare["docs.publication"].status == "missing"


def test_a_licence_named_page_deep_in_a_data_folder_is_data_not_the_projects_licence(tmp_path):
    """nagix999/llm-finetuning scraped a product's documentation into data/dataiku/ for its question set;
    one page is data/dataiku/operations/license.md ("DSS license ... requires an up-to-date license"). It
    is part of the data, and the project, which has no licence file, is not licensed by it. A licence at a
    data folder's top or a dataset's (data/LICENSE, data/<dataset>/LICENSE) is still read as the project's."""
    page = ("DSS license[¶](#dss-license \"Permalink to this heading\")\n=====\n\n"
            "Dataiku DSS requires an up-to-date license to work.\n\nFree Edition\n------------\n\n"
            "If you use the Free Edition, the license is automatically generated when you fill out the form.\n")
    scraped = {"README.md": "# Fine-tuning Llama 3 on Dataiku questions\n", "data/dataiku/operations/license.md": page,
               "data/dataiku/operations/logging.md": "Logging\n=======\n"}
    found = check(tmp_path / "scraped", scraped)["distribution.license"]
    assert found.status == "missing"
    for path in ("data/LICENSE", "data/questions/LICENSE"):
        dataset = check(tmp_path / path.replace("/", "_"), {**scraped, path: MIT_TEXT})["distribution.license"]
        assert dataset.status == "present" and dataset.evidence[0].path == path


# --- blind batch 17 (2026-12-05): names in app languages

def test_type_declarations_and_js_unit_tests_are_not_inference_by_their_names(tmp_path):
    """Rehan147ig/finetuneops, a web app for managing fine-tuning jobs: src/lib/demo-workspace.test.ts is a
    unit test and src/types/demo-workspace.d.ts a TypeScript declaration; neither runs a model, whatever
    "demo" in their names says. A server script of a chatbot is still taken by its name."""
    found = check(tmp_path / "app", {
        "src/lib/demo-workspace.test.ts": "import { describe, it, expect } from 'vitest'\ndescribe('demo', () => {})\n",
        "src/types/demo-workspace.d.ts": "export interface DemoWorkspace { id: string }\n",
        "frontend/src/app.d.ts": "declare global { namespace App {} }\nexport {}\n"})
    assert found["code.inference"].status == "missing"
    served = check(tmp_path / "served", {"backend/server.js": "const express = require('express')\n"})
    assert [e.path for e in served["code.inference"].evidence] == ["backend/server.js"]


def test_an_app_named_for_fine_tuning_is_not_training_code(tmp_path):
    """stprocker/FineTune is a macOS audio app: FineTune/FineTuneApp.swift is its entry point, no model in
    sight. In the languages of apps and services a name says nothing of training; a Python script so
    named still does."""
    app = check(tmp_path / "swift", {"FineTune/FineTuneApp.swift": "import SwiftUI\n\n@main\nstruct FineTuneApp: App {}\n"})
    assert app["code.fine_tuning"].status == "missing" and app["code.training"].status == "missing"
    script = check(tmp_path / "python", {"finetune_app.py": "print('fine-tune')\n"})
    assert script["code.fine_tuning"].status == "present"


def test_a_readme_that_asks_to_cite_it_simply_as_its_own_entry_has_a_citation(tmp_path):
    """karpathy/nanochat's README ends "If you find nanochat helpful in your research cite simply as:" and a
    BibTeX @misc for the repository: its own citation, which the rules count. "cite TRL as:" before an entry
    still introduces a library's, not the project's."""
    own = ("# nanochat\n\nA full-stack ChatGPT clone.\n\n## Cite\n\nIf you find nanochat helpful in your research "
           "cite simply as:\n\n```bibtex\n@misc{nanochat,\n  author = {Andrej Karpathy},\n  title = {nanochat: The best "
           "ChatGPT that \\$100 can buy},\n  year = {2025},\n  publisher = {GitHub},\n"
           "  url = {https://github.com/karpathy/nanochat}\n}\n```\n")
    found = check(tmp_path / "own", {"README.md": own})["docs.publication"]
    assert found.status == "present" and "BibTeX entry (@misc)" in found.evidence[0].reason
    library = own.replace("cite simply as:", "cite TRL as:").replace("nanochat: The best ChatGPT that \\$100 can buy",
                                                                     "TRL: Transformer Reinforcement Learning")
    assert check(tmp_path / "library", {"README.md": library})["docs.publication"].status == "missing"


def test_a_figure_its_text_says_shows_evaluation_results_is_a_results_figure(tmp_path):
    """Stability-AI/StableCascade's readme: "Stable Cascade performs best in both prompt alignment and aesthetic
    quality in almost all comparisons. The above picture shows the results from a human evaluation ...", then
    figures/comparison.png: its name and heading say nothing, the text before it does. A sample image after
    prose about the samples is no result."""
    results = ("# Stable Cascade\n\n## Introduction\n\nMoreover, Stable Cascade achieves impressive results, both "
               "visually and evaluation wise. According to our evaluation, Stable Cascade performs best in both prompt "
               "alignment and aesthetic quality in almost all comparisons. The above picture shows the results from a "
               "human evaluation using a mix of parti-prompts and aesthetic prompts.\n<br>\n<p align=\"center\">\n"
               "    <img height=\"300\" src=\"figures/comparison.png\"/>\n</p>\n")
    found = check(tmp_path / "results", {"readme.md": results})["docs.evaluation"]
    assert found.status == "present" and "figures/comparison.png" in found.evidence[0].reason
    samples = ("# Stable Cascade\n\n## Introduction\n\nThe pictures below show images generated from a few prompts.\n"
               "<p align=\"center\">\n    <img height=\"300\" src=\"figures/collage_1.jpg\"/>\n</p>\n")
    assert check(tmp_path / "samples", {"readme.md": samples})["docs.evaluation"].status == "missing"


def test_a_table_after_text_about_an_evaluation_is_a_results_table_without_a_benchmark_name(tmp_path):
    """Tencent/HunyuanVideo (blind batch 19) reports a human evaluation as an HTML table under "📈 Comparisons":
    Text Alignment, Motion Quality, Visual Quality, no benchmark name, after "... More than 60 professional
    evaluators performed the evaluation ...". Its table of parallel configurations, numbers after plain prose,
    is no result."""
    results = ("# HunyuanVideo\n\n## 📈 Comparisons\n\nTo evaluate the performance of HunyuanVideo, we selected five "
               "strong baselines from closed-source video generation models. More than 60 professional evaluators "
               "performed the evaluation. Please note that the evaluation is based on Hunyuan Video's high-quality "
               "version.\n\n<p align=\"center\">\n<table> \n<thead> \n<tr> \n    <th rowspan=\"2\">Model</th> "
               "<th>Text Alignment</th> <th>Motion Quality</th> <th rowspan=\"2\">Visual Quality</th> "
               "<th rowspan=\"2\">Ranking</th>\n</tr> \n</thead> \n<tbody> \n<tr> \n    <td>HunyuanVideo (Ours)</td> "
               "<td>61.8%</td> <td>66.5%</td> <td>95.7%</td> <td>1</td>\n</tr> \n<tr> \n    <td>CNTopA (API)</td> "
               "<td>62.6%</td> <td>61.7%</td> <td>95.6%</td> <td>2</td>\n</tr> \n</tbody>\n</table>\n</p>\n")
    found = check(tmp_path / "results", {"README.md": results})["docs.evaluation"]
    assert found.status == "present" and "under '📈 Comparisons'" in found.evidence[0].reason
    configurations = ("# HunyuanVideo\n\n### Using Command Line\n\nYou can change the `--ulysses-degree` and "
                      "`--ring-degree` to control the parallel configurations for the best performance. The valid "
                      "parallel configurations are shown in the following table.\n\n<details>\n<summary>Supported "
                      "Parallel Configurations (Click to expand)</summary>\n\n|     --video-size     | --video-length | "
                      "--ulysses-degree x --ring-degree | --nproc_per_node |\n|----------------------|----------------|"
                      "----------------------------------|------------------|\n| 1280 720 or 720 1280 | 129            "
                      "| 8x1,4x2,2x4,1x8                  | 8                |\n| 960 960              | 129            "
                      "| 4x1,2x2,1x4                      | 4                |\n\n</details>\n")
    assert check(tmp_path / "configurations", {"README.md": configurations})["docs.evaluation"].status == "missing"


def test_a_notebook_that_scores_out_of_fold_predictions_with_regression_metrics_is_evaluation(tmp_path):
    """morozoff-dev/prot-bert-finetune's notebook scores the fine-tuned regressor's out-of-fold predictions with
    sklearn's mean_squared_error (MCRMSE) and scipy's spearmanr: evaluation code, though no classification
    metric is named. A training loop with a regression loss (nn.MSELoss) evaluates nothing."""
    scoring = ["from sklearn.metrics import mean_squared_error\n", "from scipy.stats import spearmanr\n",
               "def get_score(y_trues, y_preds):\n", "    return mean_squared_error(y_trues, y_preds, squared=False)\n",
               "for g in oof.groupby('PDB'):\n",
               "    r = np.abs( spearmanr( tmp.target, tmp.pred_target ).correlation )\n"]
    found = check(tmp_path / "scored", {"notebooks/prot-bert-finetune.ipynb": _jupyter_notebook([_code_cell(scoring, [])])})
    assert [e.path for e in found["code.evaluation"].evidence] == ["notebooks/prot-bert-finetune.ipynb"]
    loss = ["criterion = nn.MSELoss()\n", "loss = criterion(model(x), y)\n", "loss.backward()\n", "optimizer.step()\n"]
    trained = check(tmp_path / "trained", {"notebooks/prot-bert-finetune.ipynb": _jupyter_notebook([_code_cell(loss, [])])})
    assert trained["code.evaluation"].status == "missing"


_TRL_CITATIONS = '''## Citations

Cite DPO as:

```bibtex
@inproceedings{rafailov2023direct,
    title        = {{Direct Preference Optimization: Your Language Model is Secretly a Reward Model}},
    author       = {Rafael Rafailov and Archit Sharma and Eric Mitchell and Christopher D. Manning and Stefano Ermon and Chelsea Finn},
    year         = 2023,
    booktitle    = {Advances in Neural Information Processing Systems 36: Annual Conference on Neural Information Processing Systems 2023, NeurIPS 2023, New Orleans, LA, USA, December 10 - 16, 2023},
    url          = {http://papers.nips.cc/paper_files/paper/2023/hash/a85b405ed65c6477a4fe8302b5e06ce7-Abstract-Conference.html},
    editor       = {Alice Oh and Tristan Naumann and Amir Globerson and Kate Saenko and Moritz Hardt and Sergey Levine},
}
```
'''


def test_the_url_of_a_method_papers_bibtex_entry_is_not_the_models_paper(tmp_path):
    """senuda07/Legal-LoRA-Finetuning (blind batch 20): the model card TRL wrote for a DPO checkpoint cites
    DPO, with a papers.nips.cc url in the entry; the entry is excluded as a method's paper, and so is its url.
    The same url in the model's own entry is the model's paper."""
    card = ("---\nlibrary_name: transformers\ntags:\n- trl\n- dpo\n---\n\n# Model Card for dpo_checkpoints\n\n"
            "This model was trained with DPO.\n\n" + _TRL_CITATIONS)
    found = check(tmp_path / "trl", {"model_finetuning/dpo_checkpoints/README.md": card})
    assert found["docs.publication"].status == "missing"
    own = card.replace("Cite DPO as:", "Cite this model as:").replace(
        "{Direct Preference Optimization: Your Language Model is Secretly a Reward Model}", "{Legal summaries with DPO}")
    mine = check(tmp_path / "own", {"model_finetuning/dpo_checkpoints/README.md": own})["docs.publication"]
    assert mine.status == "present" and "BibTeX entry" in mine.evidence[0].reason


def test_a_papers_later_mention_introduced_as_our_paper_counts_and_one_in_thanks_does_not(tmp_path):
    """google-research/albert (blind batch 21): the README first links the paper's PDF for a dropout rate,
    then "For a technical description of the algorithm, see our paper:" above the paper's title linked alone on
    its line. suno-ai/bark links AudioLM first as an architecture it resembles, then under "🙏 Appreciation"
    among "many other ground-breaking papers that enabled the development of Bark": not its paper."""
    albert = ("ALBERT\n======\n\nResults\n=======\n\nFor v2, we simply adopt the parameters from v1 except for RACE, where "
              "we use a learning rate of 1e-5 and 0 [ALBERT DR](https://arxiv.org/pdf/1909.11942.pdf) (dropout rate for "
              "ALBERT in finetuning).\n\nFor a technical description of the algorithm, see our paper:\n\n"
              "[ALBERT: A Lite BERT for Self-supervised Learning of Language Representations]"
              "(https://arxiv.org/abs/1909.11942)\n\nZhenzhong Lan, Mingda Chen, Sebastian Goodman\n")
    found = check(tmp_path / "albert", {"README.md": albert})["docs.publication"]
    assert found.status == "linked" and (found.evidence[0].path, found.evidence[0].line) == ("README.md", 11)
    bark = ("# Bark\n\n## Details\n\nBark is fully generative text-to-audio model devolved for research and demo "
            "purposes. It follows a GPT style architecture similar to [AudioLM](https://arxiv.org/abs/2209.03143) and "
            "[Vall-E](https://arxiv.org/abs/2301.02111).\n\n## 🙏 Appreciation\n\n- [Vall-E](https://arxiv.org/abs/2301.02111), "
            "[AudioLM](https://arxiv.org/abs/2209.03143) and many other ground-breaking papers that enabled the "
            "development of Bark\n")
    assert check(tmp_path / "bark", {"README.md": bark})["docs.publication"].status == "missing"


def test_a_demo_folders_notebook_and_a_usage_notebook_run_the_model(tmp_path):
    """Blind batch 22: facebookresearch/mae's demo/mae_visualize.ipynb loads the released checkpoints and
    reconstructs masked images; openai/DALL-E's notebooks/usage.ipynb loads the encoder and decoder and
    reconstructs an image. Neither calls .generate(): the folder and the name say what they are. A name that
    only holds the word (corlin/finetune_memsafe's terminology_usage_evaluator.py) is no inference."""
    mae = ["def prepare_model(chkpt_dir, arch='mae_vit_large_patch16'):\n", "    model = getattr(models_mae, arch)()\n",
           "    checkpoint = torch.load(chkpt_dir, map_location='cpu')\n",
           "    msg = model.load_state_dict(checkpoint['model'], strict=False)\n", "    return model\n"]
    dalle = ["enc = load_model(\"https://cdn.openai.com/dall-e/encoder.pkl\", dev)\n",
             "dec = load_model(\"https://cdn.openai.com/dall-e/decoder.pkl\", dev)\n", "z_logits = enc(x)\n",
             "x_stats = dec(z).float()\n"]
    found = check(tmp_path / "runs", {"demo/mae_visualize.ipynb": _jupyter_notebook([_code_cell(mae, [])]),
                                      "notebooks/usage.ipynb": _jupyter_notebook([_code_cell(dalle, [])])})
    assert sorted(e.path for e in found["code.inference"].evidence) == ["demo/mae_visualize.ipynb", "notebooks/usage.ipynb"]
    scorer = ("class TerminologyUsageEvaluator:\n    def score(self, answer, terms):\n"
              "        return sum(term in answer for term in terms) / max(len(terms), 1)\n")
    named = check(tmp_path / "named", {"industry_evaluation/evaluators/terminology_usage_evaluator.py": scorer})
    assert named["code.inference"].status == "missing"


def test_a_papers_title_linked_to_a_lab_publications_page_under_the_readme_title_is_the_paper(tmp_path):
    """facebookresearch/detr (blind batch 23): "**DE⫶TR**: End-to-End Object Detection with Transformers" over
    "========", then "For details see [End-to-End Object Detection with Transformers](https://ai.facebook.com/
    research/publications/…)": Meta's former publications host, the README's own title linked, the word
    "Transformers" in it no library. A link to the Transformers library's paper is the library's."""
    readme = ("**DE⫶TR**: End-to-End Object Detection with Transformers\n========\n\nPyTorch training code and "
              "pretrained models for **DETR** (**DE**tection **TR**ansformer).\n\nFor details see [End-to-End Object "
              "Detection with Transformers](https://ai.facebook.com/research/publications/end-to-end-object-detection-"
              "with-transformers) by Nicolas Carion, Francisco Massa, Gabriel Synnaeve, Nicolas Usunier, Alexander "
              "Kirillov, and Sergey Zagoruyko.\n\n# Model Zoo\n\nWe provide baseline DETR models.\n")
    found = check(tmp_path / "detr", {"README.md": readme})["docs.publication"]
    assert found.status == "linked" and "ai.facebook.com/research/publications" in found.evidence[0].reason
    library = readme.replace("[End-to-End Object Detection with Transformers](https://ai.facebook.com/research/"
                             "publications/end-to-end-object-detection-with-transformers) by Nicolas Carion, Francisco "
                             "Massa, Gabriel Synnaeve, Nicolas Usunier, Alexander Kirillov, and Sergey Zagoruyko",
                             "[Transformers: State-of-the-Art Natural Language Processing]"
                             "(https://aclanthology.org/2020.emnlp-demos.6)")
    assert check(tmp_path / "library", {"README.md": library})["docs.publication"].status == "missing"


def test_a_paper_any_mention_shows_to_be_a_methods_is_not_the_models_even_when_first_credited_as_original(tmp_path):
    """imbkaushik/llm-dpo-finetuning (blind batch 24) credits a figure to DPO's "[Original Paper](arXiv 2305.18290)"
    under "Direct Preference Optimization Details", and its reference list names that paper: "Direct Preference
    Optimization: Your Language Model is Secretly a Reward Model". The later mention decides for both."""
    readme = ("# LLM DPO fine-tuning\n\nFine-tunes a small model to write titles with DPO.\n\n## Technical Implementation\n\n"
              "### Direct Preference Optimization Details\n\nDPO operates on the principle of directly optimizing the "
              "policy using preference data without requiring an explicit reward model.\n\n"
              "![DPO Loss Equation](assets/dpo_equation.png)\n\n*Figure: DPO loss function illustration. Source: "
              "[Original Paper](https://arxiv.org/abs/2305.18290)*\n\n## References\n\n1. **DPO Paper:** Rafailov, R., "
              "et al. \"Direct Preference Optimization: Your Language Model is Secretly a Reward Model.\" arXiv preprint "
              "arXiv:2305.18290 (2023). [Link](https://arxiv.org/abs/2305.18290)\n")
    assert check(tmp_path / "dpo", {"README.md": readme})["docs.publication"].status == "missing"


def test_a_training_notebook_that_builds_a_generation_pipeline_on_the_model_tries_it(tmp_path):
    """SamanehTaebi/LLM-DPO-FineTuning (blind batch 25): DPO.ipynb trains with DPOTrainer, and its cells build a
    text-generation pipeline on the model to answer prompts before and after DPO: a notebook cell that runs the
    model. The same calls in a training script sample as it trains: no inference code."""
    cells = [["from trl import DPOConfig, DPOTrainer\n", "from transformers import AutoModelForCausalLM, pipeline\n"],
             ["trainer = DPOTrainer(model=model, args=training_args, train_dataset=train_dataset)\n", "trainer.train()\n"],
             ["generator = pipeline(\"text-generation\", model=model, tokenizer=tokenizer, device=0)\n",
              "outputs = generator(example_prompt, max_new_tokens=100, truncation=True, num_return_sequences=1)\n"]]
    found = check(tmp_path / "nb", {"DPO.ipynb": _jupyter_notebook([_code_cell(c, []) for c in cells])})
    assert [e.path for e in found["code.inference"].evidence] == ["DPO.ipynb"]
    script = check(tmp_path / "script", {"dpo.py": "".join(line for c in cells for line in c)})
    assert script["code.inference"].status == "missing"
