"""Code detectors: preprocessing, training, fine-tuning, inference, evaluation, architecture, libraries.

Files are judged by name *and* content. One pass over the inventory classifies candidate
files by path; then a bounded number of them (name matches first, then shallow scripts with
uninformative names such as ``run.py``) are read and scanned once with a combined marker
expression. Content can confirm a name (``model.py`` must define a network to count as the
architecture), redirect it (a ``train.py`` that loads pretrained weights is fine-tuning
code), or find code whose name says nothing. Vendored third-party code is reported as such.
The same scan finds code that calls a moderation service, runs a safety checker on its outputs or
checks input for prompt injection (reported as ``guardrails.safety_classifier``), and training whose
stated purpose is safety alignment (``guardrails.aligned_weights``, partial): here, so that no script
is read twice.
"""

from __future__ import annotations

import re
from functools import lru_cache

from openness_gate import lazyre
from openness_gate.detectors import Context, detector
from openness_gate.detectors._common import (IGNORED_DIRS, MAX_EVIDENCE, RELEASE_DIR, RESULTS_JSON, TEST_DIRS, VENDORED,
                                             declared, depth, is_vendored, load_json, unpacked_releases, within)
from openness_gate.detectors.markers import RE2_AFTER, MarkerSet
from openness_gate.findings import LINKED, PARTIAL, PRESENT, Evidence, Finding
from openness_gate.inventory import Inventory, extension
from openness_gate.parsers import anchored, notebook
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable

COMPONENTS = ("code.preprocessing", "code.training", "code.fine_tuning", "code.inference", "code.evaluation",
              "code.architecture", "code.libraries")
SCRIPT_EXT = frozenset({".py", ".ipynb", ".sh", ".bash", ".zsh", ".slurm", ".sbatch", ".jl", ".lua", ".r", ".rs",
                        ".cpp", ".cc", ".cu", ".c", ".go", ".scala", ".java", ".js", ".ts", ".mjs", ".swift", ".kt"})
CONFIG_EXT = frozenset({".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".gin", ".conf", ".jsonnet"})
MAX_CONTENT_READS = 300
CONTENT_CAP = 64 * 1024
#: code-cell text scanned of a notebook read whole (``read_whole_notebook``): the head's cells are in it too
NOTEBOOK_CODE_CAP = 4 * CONTENT_CAP
#: notebooks over the text cap read whole, at most, when a component is missing (each costs about
#: 5 ms a few MB on this kind of machine: the bytes are read and searched)
MAX_WHOLE_NOTEBOOKS = 8
#: what a notebook's later code cells can still show when the head's did not
_NOTEBOOK_COMPONENTS = ("code.training", "code.fine_tuning", "code.inference", "code.evaluation")
#: content to read above which a split check shares the reads between its two processes: on the
#: calibration corpus, where the code detector outlasts the others (LoRA: 6.9 MB, 108 ms against
#: 23 ms for all the others; below ~0.5 MB it rarely does)
SHARE_AFTER = 512 * 1024
_NOT_CODE_CONFIG = lazyre.compile(r"(?:^|/)(?:tokenizer(?:_config)?|special_tokens_map|vocab|merges|added_tokens|"
                                  r"generation_config|preprocessor_config|package(?:-lock)?|tsconfig|\.eslintrc|"
                                  r"\.pre-commit-config|mkdocs|readthedocs|codecov|environment|conda)\.[a-z]+$|"
                                  r"(?:^|/)\.github/|(?:^|/)model\.safetensors\.index\.json$|\.index\.json$", re.IGNORECASE)

#: a test module's whole name (beside the folders of tests, ``TEST_DIRS``): what it runs checks the code
_TEST_NAME = lazyre.compile(r"(?:test_.*|.*_test|conftest)\.py", re.IGNORECASE | re.DOTALL)
#: never code that runs: TypeScript declarations (``app.d.ts``) and JavaScript/TypeScript unit tests
#: (``demo-workspace.test.ts``: a test_*.py's kin; Rehan147ig/finetuneops)
_NOT_RUN = lazyre.compile(r"\.d\.ts$|\.(?:test|spec)\.[cm]?[jt]sx?$", re.IGNORECASE)
#: languages of apps and services, not of training: a file there named for fine-tuning is an app's or a
#: tool's (stprocker/FineTune's FineTuneApp.swift, an audio app); its content may still say it trains
_APP_EXT = frozenset({".swift", ".kt", ".java", ".js", ".ts", ".mjs", ".go", ".scala"})
#: a folder of configs or launch scripts, anywhere in the path (about one folder: see FileIndex.dirs_within_named)
_CONFIG_DIR = lazyre.compile(r"(?:^|/)(?:configs?|recipes?|conf|scripts|models?|experiments?|launch|launchers|train|"
                             r"training|hparams|yamls?|ds_configs?|accelerate_configs?)/", re.IGNORECASE)
#: component → pattern on the lower-case file *name* (run over all names at once: no newline crossing)
_NAME_LINE = {cid: lazyre.compile(rx, re.MULTILINE) for cid, rx in {
    "code.preprocessing": r"(?:preprocess|pre_process|prepare[_-]?data|data[_-]?prep|tokeni[sz]e(?!r)|dedup(?!ed)|"
                          r"clean(?:ing)?[_-]?data|filter[_-]?data|build[_-]?(?:dataset|corpus)|make[_-]?dataset|shard|"
                          r"download[_-]?data|quality[_-]?filter|data[_-]?pipeline)|^prepare\.py$",
    "code.training": r"^(?:pre[_-]?)?train(?:ing|er)?(?:[_-][^\n]*)?\.[a-z]+$|pretrain|^run_(?:clm|mlm|pretraining)",
    # method names as whole words: "support.py" is not PPO, "kalign.py" or an alignment *check* is not alignment
    "code.fine_tuning": r"fine[_-]?tun|finetun|(?:^|[_-])(?:sft|dpo|rlhf|ppo|orpo|kto|grpo|qlora|lora[_-]?(?:train|finetun|tun))"
                        r"(?:[_.-]|$)|reward[_-]?model[_-]?train|instruct[_-]?tun",
    # "app" as a word only: wrappers.py, mapping.py, apply_delta.py and apptainer_run.sh are not apps
    "code.inference": r"(?:infer|generat|predict|serve|serving|server|demo|chat|text2img|"
                      r"txt2img|img2img|run[_-]?model|quickstart|example|transcribe|hubconf)[^\n]*\.(?:py|ipynb|sh|js|ts|rs|cpp|go)$|"
                      r"(?:^|[_-])apps?(?:[_.-][^\n]*)?\.(?:py|ipynb|sh|js|ts|rs|cpp|go)$|"
                      r"(?:^|[_-])(?:sample|sampling|sampler|detect|segment|caption|translate|synthesi[sz]e|tts)(?:[_-][^\n]*)?"
                      r"\.(?:py|ipynb|sh)$|"
                      # a notebook or script that shows how to use the model (openai/DALL-E's notebooks/usage.ipynb
                      # encodes and reconstructs an image); a name that ends so measures something (gpu_usage.py)
                      r"^usage(?:[_-][^\n]*)?\.(?:py|ipynb|sh)$",
    # whole words: "retrieval", "symmetric", "geometric" are not evaluation
    "code.evaluation": r"(?:^|[_-])(?:eval|evals|evaluate|evaluation|evaluator|benchmarks?|bench|scores?|scoring|"
                       r"metrics?)(?:[_.-][^\n]*)?\.(?:py|ipynb|sh|ya?ml|jsonnet|conf)$|^(?:run_)?eval[a-z_]*\.[a-z]+$",
    "code.architecture": r"^(?:modeling_[^\n]*|configuration_[^\n]*|model|models|modeling|modules?|layers|network|"
                         r"networks|transformer|architecture|arch|attention|unet|vae|backbone)\.(?:py|jl|rs|cpp|cu)$",
    "code.libraries": r"deepspeed|ds_config|zero[_-]?[123]|fsdp|megatron|accelerate[_-]?config|slurm|sbatch|torchrun|"
                      r"launch|multinode|multi[_-]node|distributed|k8s|kubernetes",
}.items()}
#: substrings every match of the name pattern contains (a fast ``str.find`` prefilter, see ``FileIndex``)
_NAME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "code.preprocessing": ("preprocess", "pre_process", "prepare", "data_prep", "data-prep", "dataprep", "tokeniz",
                           "tokenis", "dedup", "clean", "filter", "build", "make", "shard", "download", "quality",
                           "pipeline"),
    "code.training": ("train", "run_clm", "run_mlm"),
    "code.fine_tuning": ("tun", "sft", "dpo", "rlhf", "ppo", "lora", "orpo", "kto", "grpo", "reward"),
    "code.inference": ("infer", "generat", "predict", "serv", "demo", "chat", "sampl", "app", "text2img",
                       "txt2img", "img2img", "run_model", "run-model", "runmodel", "quickstart", "example", "transcribe",
                       "hubconf", "detect", "segment", "caption", "translate", "synthesi", "tts", "usage"),
    "code.evaluation": ("eval", "bench", "scor", "metric"),
    "code.architecture": ("modeling", "configuration", "model", "module", "layers", "network", "transformer", "arch",
                          "attention", "unet", "vae", "backbone"),
    "code.libraries": ("deepspeed", "ds_config", "zero", "fsdp", "megatron", "accelerate", "slurm", "sbatch",
                       "torchrun", "launch", "multinode", "multi_node", "multi-node", "distributed", "k8s",
                       "kubernetes"),
}
#: component → (pattern on the immediate folder, with a trailing '/'; extensions it applies to or None for all)
_DIR_RULE: dict[str, tuple[re.Pattern[str], frozenset[str] | None]] = {
    "code.preprocessing": (lazyre.compile(r"(?:^|/)(?:preprocessing|data_prep|data_processing|dataprep|data[_-]?pipeline|"
                                          r"tokenization)/$", re.IGNORECASE), None),
    "code.training": (lazyre.compile(r"(?:^|/)(?:train|training|pretrain|pretraining)/$", re.IGNORECASE), None),
    # a demo folder's notebook runs the released model (facebookresearch/mae's demo/mae_visualize.ipynb: checkpoints
    # loaded, images reconstructed), whatever its name
    "code.inference": (lazyre.compile(r"(?:^|/)(?:inference|serving|demos?)/$", re.IGNORECASE), frozenset({".py", ".ipynb", ".sh"})),
    "code.evaluation": (lazyre.compile(r"(?:^|/)(?:eval|evals|evaluation|evaluations|benchmarks?|lm_eval|harness)/$",
                                       re.IGNORECASE), None),
    "code.architecture": (lazyre.compile(r"(?:^|/)(?:models?|modeling|modules|layers|networks?|architectures?)/$",
                                         re.IGNORECASE), frozenset({".py", ".jl"})),
}
#: groups of one combined content expression; each group is a marker of one component
_MARKERS = {
    # what training *does*: a loss stepped, an optimiser updated, a trainer run
    "train": r"loss\.backward\(|\.backward\(\)|optimizer\.step\(|accelerator\.backward|trainer\.train\(|\bTrainer\(|"
             r"trainer\.fit\(|model\.fit\(|\.compile\(\s*optimizer|jax\.value_and_grad|optax\.apply_updates|"
             r"\bdef training_step\(|\bdef train_step\(|\.train_on_batch\(",
    # hyper-parameters: a training *config* says what it is with them; in code they are only words
    "hparam": r"learning_rate|lr_scheduler|global_batch_size|warmup_steps|num_train_epochs|weight_decay|"
              r"gradient_accumulation|checkpoint_every|save_steps|train_iters|\bmax_steps\b|torch\.optim\.|optax\.|"
              # each JSON key its own branch: one that starts with its literal runs only where the
              # literal occurs; a shared '"(?:lr|…)"' had no literal to look for and ran on every file
              r"^\s*lr:|^\s*batch_size:|^\s*optimizer:|"
              r"\"lr\"\s*:|\"optimizer\"\s*:|\"train_batch_size\"\s*:|\"max_steps\"\s*:",
    # \b first: without it the engine restarts \w+ at every character of every identifier
    "pretrained": r"\b(?:AutoModel\w*|\w+For(?:CausalLM|Seq2SeqLM|SequenceClassification|MaskedLM)|\w+Model)\.from_pretrained\(|"
                  r"FastLanguageModel\.from_pretrained|base_model_name_or_path|model_name_or_path|"
                  r"weights\s*=\s*[\"']imagenet|pretrained\s*=\s*True|torch\.hub\.load\(|load_pretrained",
    # fine-tuning methods put to work (a trainer, an adapter being made trainable), not imports or prose
    "finetune": r"SFTTrainer|DPOTrainer|PPOTrainer|ORPOTrainer|KTOTrainer|GRPOTrainer|RewardTrainer|"
                r"get_peft_model\(|prepare_model_for_kbit_training|LoraConfig\(|axolotl\.cli\.train|"
                r"FastLanguageModel\.get_peft_model",
    # a generate call with arguments: models are given a prompt, ids or a length; a bare .generate() is a
    # data or name generator's (gyb357/UNet-Segmentation: MaskDatasetGenerator(...).generate(), petname.generate())
    "infer": r"\.generate\((?!\s*\))|\bpipeline\(|from vllm import|vllm serve|\bLLM\(model=|llama_cpp|Llama\(model_path|"
             r"DiffusionPipeline|StableDiffusion\w*Pipeline|InferenceSession|\bgr\.(?:Interface|ChatInterface|Blocks)|"
             r"st\.chat_input|InferenceClient|TextIteratorStreamer|apply_chat_template|\b\w*model\w*\.predict\(|"
             # an inference runner or engine made (xai-org/grok-1's run.py: InferenceRunner(...)); not a
             # task named for inference (pythia's OperationInferenceAdd, NaturalLanguageInference)
             r"\bInference[A-Z]\w*\(|"
             # sampling from a diffusion model through its sampler (openai/glide-text2im's notebooks:
             # diffusion.p_sample_loop(...)); the sampler's own definition is no call
             r"\.p_sample_loop\(|\.ddim_sample_loop\(|"
             r"@app\.(?:post|route)\(|\bFastAPI\(",
    "evaluate": r"\blm_eval\b|lm-eval\b|simple_evaluate|evaluate\.load\(|from evaluate import|helm-run|helm\.benchmark|"
                r"opencompass|lighteval|alpaca_eval|evalplus|inspect_ai|bigcode[-_]evaluation|human_eval|"
                r"\bdef evaluate\(|\bdef \w+_evaluation\(|\bdef accuracy\(|"  # run_evaluation, run_bpd_evaluation (improved-diffusion)
                r"accuracy_score|precision_score|recall_score|f1_score|fbeta_score|roc_auc_score|"
                # regression and ranking metrics (morozoff-dev/prot-bert-finetune's out-of-fold score: sklearn's
                # mean_squared_error, scipy's spearmanr over predictions and targets)
                r"mean_squared_error|mean_absolute_error|\br2_score\b|matthews_corrcoef|\bspearmanr\(|\bpearsonr\(|"
                r"classification_report|trainer\.evaluate\(|\.evaluate\(\s*eval_dataset|"
                # Ultralytics YOLO's validation (mAP on a split): model.val(...), `yolo … mode=val`
                # (mtalhaubaid/yolov8-custom-training, imemmul/YOLOv8-Custom)
                r"\bmodel\.val\(|\bmode=val\b|"
                # metric libraries of speech, translation and captioning results (whisper's LibriSpeech WER),
                # imported or called: a name in a list of packages to install is no evaluation
                # (lightshifted/dreambooth_pets's venv installer lists jiwer)
                r"import jiwer\b|from jiwer import|\bjiwer\.\w+\(|import sacrebleu\b|from sacrebleu\b|"
                r"\bsacrebleu\.\w+\(|import rouge_score\b|from rouge_score\b|import bert_score\b|"
                r"from bert_score\b|import pycocoevalcap\b|from pycocoevalcap\b",
    # task definitions of evaluation harnesses: meaningful in YAML configs only
    "evaltask": r"^dataset_path:|^output_type: (?:loglikelihood|generate_until|multiple_choice)",
    "speed": r"perf_counter|time\.time\(|throughput|latency|tokens/s(?:ec)?\b|token/s(?:ec)?\b|it/s\b|timeit",
    "preprocess": r"minhash|MinHash|\bdedup|datatrove|dolma\b|SentencePieceTrainer|train_new_from_iterator|"
                  r"np\.memmap|\.tofile\(|encode_ordinary|langdetect|lid\.176|fasttext\.load_model|"
                  r"\.map\(\s*(?:tokeni[sz]e|preprocess)|datasets\.load_dataset|load_dataset\(|\.filter\(",
    "arch": r"\bnn\.Module\b|PreTrainedModel\b|flax\.linen|nn\.Layer\b|keras\.Model\b|eqx\.Module|hk\.Module|"
            r"class \w+\([\w.]*(?:Module|PreTrainedModel|Model|Layer)\)|PretrainedConfig\b|def forward\(|__call__\(self, x",
    # code that sends text to a moderation service and acts on the verdict (haotian-liu/LLaVA's
    # violates_moderation, lm-sys/FastChat's moderation_filter): OpenAI's endpoint and SDK calls, Azure
    # AI Content Safety. Scoring services used as a metric (the Perspective API in a toxicity
    # benchmark) are evaluation, not a guardrail, and are not here
    "moderate": r"/v1/moderations\b|\.moderations\.create\(|\bModeration\.create\(|\bContentSafetyClient\(",
    # the NSFW classifier a Stable Diffusion script runs on what it generates (CompVis/stable-diffusion's
    # scripts/txt2img.py, lightshifted/dreambooth_pets): the class itself, which a pipeline built with
    # safety_checker=None (the filter switched off) does not name
    "safetycheck": r"\bStableDiffusionSafetyChecker\b",
    # a chat completion that refuses a prompt holding the model's own special tags (prompt sanitisation
    # against special-token injection, as the labelling rules name it): Meta's Llama 2 and Code Llama
    # reference code (facebookresearch/codellama's llama/generation.py) answers such a dialog UNSAFE_ERROR
    "sanitise": r"special tags are not allowed|\bUNSAFE_ERROR\b",
    # user input checked for prompt injection before it reaches the model (ramvadlamudi29-ai/medical-llm-safety's
    # security/pii_filter.py: PROMPT_INJECTION_PATTERNS, has_prompt_injection, "prompt injection detected"). Names
    # of a detector or its verdict only: an evaluation that sends injection attempts names a scenario
    # ("prompt_injection", sohailataiml/SMLqLORA), which is no guardrail
    "injection": r"\b[A-Z_]*PROMPT_INJECTION_PATTERNS\b|\bhas_prompt_injection\b|[Pp]rompt injection detected|"
                 r"\bdetect_prompt_injection\(|\bis_prompt_injection\(",
    # a training script that says its purpose is safety alignment (rule (e) of the labelling rules:
    # AbhishekSinghAulakh/medical-llm-safety-lora-dpo's "DPO Alignment (Safety Alignment)", kapilw25's Safe-LoRA).
    # Only the stated purpose: a safety dataset among others (hh-rlhf, BeaverTails) or "harmless" in a reward
    # prompt does not say the training is for safety
    # Plain spellings, each its own branch: a branch led by a case class ("[Ss]afety") is searched around every
    # "afety" and one like "Safe-?LoRA" around every "LoRA", which a first-aid QLoRA repository is full of
    # (i-am-mushfiq/FirstAidQA-gemma2b-QLoRA: +10 ms); a plain one is a str.find
    "safealign": "|".join(("safety alignment", "Safety Alignment", "Safety alignment", "safety-alignment",
                           "Safety-Alignment", "safety_alignment", "SAFETY_ALIGNMENT", "safety-aligned", "Safety-aligned",
                           "safety aligned", "safety tuning", "Safety Tuning", "safety fine-tuning", "Safety Fine-Tuning",
                           "safety fine-tune", "safety finetuning", "Safe-LoRA", "SafeLoRA")),
    # what makes a test_*.py a unit test, not a script that happens to be named so
    "unittest": r"\bimport pytest\b|\bfrom pytest\b|\bimport unittest\b|\bfrom unittest\b|^\s*def test_\w*\(|"
                r"^\s*class Test\w*\(",
    "dist": r"#SBATCH|zero_optimization|train_micro_batch_size_per_gpu|fsdp_config|distributed_type:|"
            r"tensor_model_parallel_size|pipeline_model_parallel_size|\bmegatron\b|torchrun|torch\.distributed\.launch|"
            r"deepspeed --|accelerate launch|\bsrun\b|mpirun|colossalai|fairscale|FullyShardedDataParallel|"
            r"init_process_group|nvidia\.com/gpu",
}
_CONTENT = MarkerSet(_MARKERS)
#: what the "hparam" group reports when a file sets up an optimiser (its branches' matched strings:
#: tests/test_detectors.py holds the two together)
_OPTIMISER_WORDS = frozenset({"torch.optim.", "optax.", "learning_rate", "lr_scheduler"})
#: what a script that calls a moderation service is (see the module docstring)
_MODERATION = "guardrails.safety_classifier"
#: what a training script whose stated purpose is safety alignment is: the means to aligned weights,
#: ``partial`` (present but incomplete) since the weights themselves are judged by the weights scan
_ALIGNING = "guardrails.aligned_weights"
_LABEL = {
    "code.preprocessing": "data preprocessing code",
    "code.training": "training code",
    "code.fine_tuning": "fine-tuning code",
    "code.inference": "inference code",
    "code.evaluation": "evaluation code",
    "code.architecture": "model definition",
    "code.libraries": "distributed-training / infrastructure tooling",
}
_REQS_LINE = lazyre.compile(r"^(?:requirements[^\n]*\.txt|pyproject\.toml|setup\.py|setup\.cfg|environment\.ya?ml)$",
                            re.MULTILINE)
_GENERIC_EXT = frozenset({".py", ".ipynb", ".sh", ".bash", ".slurm", ".sbatch", ".jl"})
_TRAIN_LIBS = lazyre.compile(r"^\s*[\"']?(deepspeed|megatron[-_]core|megatron[-_]lm|colossalai|fairscale|accelerate|"
                             r"flash[-_]attn|apex|nemo[-_]toolkit|composer|torchtitan|levanter|axolotl|trl|peft|"
                             r"lightning|pytorch[-_]lightning)\b", re.IGNORECASE | re.MULTILINE)
_CARD_SNIPPET = lazyre.compile(r"from_pretrained\(|\bpipeline\(|\.generate\(|DiffusionPipeline|llama-cli|llama\.cpp|"
                               r"ollama run|vllm serve|transformers-cli|huggingface-cli download|\s-m \S{1,300}?\.gguf|--model[= ]\S",
                               re.IGNORECASE)
#: a sampler in a data folder draws training examples (a torch ``Sampler``: kimyuji/Fine-tune-with-Few-Samples's
#: datasets/sampler.py, THUDM/CogVideo's finetune/datasets/bucket_sampler.py); elsewhere a sampler samples the model
_DATA_SAMPLER = lazyre.compile(r"(?:^|/)(?:data|datasets?|data_?loaders?)/(?:[^/]+/)*[^/]*sampler[^/]*$", re.IGNORECASE)
#: a script (or folder) named for generating synthetic or training data, from a teacher model or an
#: API ("synthetic_generators/synthetic_generator_gemini.py", vivek-dodia's Deepseek-R1-8B-MikroTik-
#: Distilled; "generate_synthetic_data.py", "dataset_generator.py", "persona_driven_data_gen/"): its name
#: says it makes data, not that it runs the subject model (its content may still say so). Running a
#: model trained on synthetic data is inference ("infer_synthetic_pythia_1B.sh", Dahoas/reward-modeling)
_DATA_GENERATOR = lazyre.compile(r"synthetic[^/]*[_-]gen|(?:^|/|[_-])gen[^/]*synthetic|(?:^|/|[_-])(?:data|dataset)[_-]?gen",
                                 re.IGNORECASE)
#: a script named for preparing data for training or fine-tuning ("prepare_candle_data_for_fine_tuning.py",
#: milkiway7/chronos-fine-tuning): data preparation, not training, by its name
_DATA_PREP_NAME = lazyre.compile(r"(?:^|/)(?:prepare|prep|preprocess|build|make|create|generate|download|convert|"
                                 r"clean|split|format)[_-][^/]*(?:data|dataset|samples?)[^/]*$", re.IGNORECASE)
_TRAINING_IDS = frozenset({"code.training", "code.fine_tuning"})
#: the file name of a script a command line runs (after any folder: ``python ./finetune.py``)
_SCRIPT_NAME = lazyre.compile(r"[\w.-]+\.(?:py|sh)\b")
#: where a match of ``_CARD_SNIPPET`` can begin, in the folded text (``parsers.anchored``): the
#: case-insensitive alternation is otherwise tried at every character of every card section
_CARD_SNIPPET_STARTS = lazyre.compile(r"from_pretrained\(|pipeline\(|\.generate\(|diffusionpipeline|llama-cli|"
                                      r"llama\.cpp|ollama run|vllm serve|transformers-cli|huggingface-cli download|"
                                      r"\s-m |--model")


#: what a console script is for, from the words of its command, module and function (see
#: ``parsers.entry_points``); checked in this order, one component per script
_ENTRY_POINT_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("code.fine_tuning", frozenset({"finetune", "finetuning", "sft", "dpo", "lora", "qlora", "rlhf", "ppo", "grpo"})),
    ("code.training", frozenset({"train", "training", "pretrain", "pretraining", "trainer"})),
    ("code.evaluation", frozenset({"eval", "evals", "evaluate", "evaluation", "evaluator", "benchmark", "bench"})),
    ("code.inference", frozenset({"infer", "inference", "generate", "generation", "predict", "prediction", "predictor",
                                  "serve", "server", "serving", "chat", "transcribe", "transcription", "demo",
                                  "sample", "sampling", "translate", "synthesize", "tts", "caption", "segment",
                                  "detect", "embed", "txt2img", "img2img", "text2img", "run_model"})),
    ("code.preprocessing", frozenset({"preprocess", "preprocessing", "tokenize", "dedup", "prepare_data"})),
)


@record(frozen=False)
class _Hit:
    path: str
    how: list[str] = field(default_factory=list)  # "name", or content markers


#: utility modules by name: a backward pass there profiles or checks, it does not train
_UTILITY_FILE = lazyre.compile(r"(?:^|/|_)(?:utils?|helpers?|monitor|profil\w*|config)\.py$", re.IGNORECASE)


def _components_from_content(path: str, markers: dict[str, set[str]], is_config: bool) -> dict[str, list[str]]:
    """What the content says the file is: component → markers.

    Code trains when it does something training does (a backward pass, an optimiser step, a
    trainer run); hyper-parameter words alone are everywhere (a model file's ``batch_size:``
    annotation, an inference pipeline's ``warmup_steps``). A config trains when it sets two
    or more training hyper-parameters."""
    out: dict[str, list[str]] = {}
    act, hp = markers.get("train", set()), markers.get("hparam", set())
    ft, pre = markers.get("finetune"), markers.get("pretrained")
    # a model definition whose only training sign is a backward pass, with no optimiser in sight,
    # checks its gradients (Lightricks/LTX-Video's autoencoders run one in a __main__ demo)
    defines = any("forward" in a or "__call__" in a for a in markers.get("arch", ()))
    if defines and act and all("backward" in a for a in act) and not hp & _OPTIMISER_WORDS:
        act = set()
    if act == {".backward()"} and not hp and _UTILITY_FILE.search(path):
        act = set()  # a utility module's lone backward pass, no training setting in sight, times or checks
        # gradients (Ultralytics' torch_utils.profile in Kamlesh364/YOLOV8-custom-Inference, lit_gpt's
        # speed_monitor.py); a model's optimize_parameters (GFPGAN's gfpgan_model.py) is training
    if act == {"Trainer("}:  # a trainer made and never run: NeMo and Lightning need one to run a model too
        act = set()  # (EleutherAI/lm-evaluation-harness's nemo_lm.py); evaluate() and predict() are not training
    trains = len(act | hp) >= 2 if is_config else bool(act)
    if ft or (trains and pre and not is_config):
        out["code.fine_tuning"] = sorted((ft or set()) | (pre or set()) | act)[:3]
    elif trains:
        out["code.training"] = sorted(act | hp)[:3]
    # a notebook that fine-tunes and then loads the trained adapter to generate with it, or builds a pipeline
    # on the model to generate, tries the model as a user would (ChallapalliHemanthsaikumar/llama-lora-personal-
    # finetune: "To Test The Model"; SamanehTaebi/LLM-DPO-FineTuning's text-generation pipeline before and after
    # DPO); a training script that samples as it trains does not
    tries = path.endswith(".ipynb") and ("PeftModel.from_pretrained(" in (pre or ()) and ".generate(" in markers.get("infer", ())
                                         or "pipeline(" in markers.get("infer", ()))
    if markers.get("infer") and (not trains or tries):
        out["code.inference"] = sorted(markers["infer"])[:3]
    evaluate = markers.get("evaluate", set()) | (markers.get("evaltask", set()) if is_config else set())
    # a training script that only defines an evaluation function validates as it trains
    if evaluate and not (trains and all(m.startswith("def ") for m in evaluate)):
        out["code.evaluation"] = sorted(evaluate)[:3]
    if markers.get("preprocess") and len(markers["preprocess"]) >= 2 and not trains:
        out["code.preprocessing"] = sorted(markers["preprocess"])[:3]
    arch = markers.get("arch", set())
    if not is_config and len(arch) >= 2 and any("forward" in a or "__call__" in a for a in arch):
        out["code.architecture"] = sorted(arch)[:3]
    if markers.get("dist") and (is_config or not path.endswith((".py", ".ipynb"))):
        # a Python training script that sets up DDP is training code, not a supporting library;
        # Python files count here only by name (launchers, distributed utilities)
        out["code.libraries"] = sorted(markers["dist"])[:3]
    return out


def _plan(ctx: Context) -> tuple[dict[str, set[str]], list[str], list[str]]:
    """(path -> components its name or folder suggests; every file whose content may say more, in
    reading order; packaging files), from the names alone."""
    ix = ctx.index
    ext_keys = [e for e in sorted(SCRIPT_EXT | CONFIG_EXT) if e in ix.by_ext]
    by_name: dict[str, set[str]] = {}  # path → components its name or folder suggests
    for cid, rx in _NAME_LINE.items():
        for f in ix.names_matching(rx, ext_keys, _NAME_KEYWORDS[cid]):
            by_name.setdefault(f.path, set()).add(cid)
    for cid, (rx, exts) in _DIR_RULE.items():  # each about a folder's own name
        for f in ix.in_dirs(ix.dirs_named(rx), exts or frozenset(ext_keys)):
            by_name.setdefault(f.path, set()).add(cid)
    # what the folders say, judged once per folder name (a large tree has tens of thousands of
    # candidates in thousands of folders): the folders never of the project (is_ignored) or of its
    # tests (a unit test that steps an optimiser or calls generate() checks the code, it does not
    # train or run the model: state-spaces/mamba's tests call .backward()), of vendored code
    # (is_vendored), of no code configs (a .github folder: see _not_code_name)
    ignored = set(ix.dirs_within_named(IGNORED_DIRS)).union(ix.dirs_within_named(TEST_DIRS))
    vendored = set(ix.dirs_within_named(VENDORED))
    releases = unpacked_releases(ix)  # an unpacked package release is third-party code too
    if releases:
        vendored.update(d for d in ix.dirs_within_named(RELEASE_DIR) if d in releases or within(releases, d + "/"))
    no_configs = set(ix.dirs_within_named(_NOT_CODE_CONFIG))
    # the name matches kept, by (vendored, depth): sorting each group's paths (a C string compare) and
    # the groups costs a fraction of sorting one list of (vendored, depth, path) tuples
    named: dict[tuple[bool, int], list[str]] = {}
    configs: set[str] = set()
    for p, hits in list(by_name.items()):
        cut = p.rfind("/")
        d = p[:cut] if cut > 0 else ""
        is_config = extension(p) in CONFIG_EXT
        if d in ignored or p.endswith(".py") and _test_module(p[cut + 1:]) or _NOT_RUN.search(p) or is_config and (
                d in no_configs or _not_code_name(p[cut + 1:]) or not d and p in ("config.json", "params.json")):
            del by_name[p]
            continue
        if hits & _TRAINING_IDS and (_DATA_PREP_NAME.search(p) or extension(p) in _APP_EXT):
            # prepares data for training, or an app so named: its content, not its name, may say it trains
            hits -= _TRAINING_IDS
        if "code.fine_tuning" in hits and "pretrain" not in p.lower():
            hits.discard("code.training")  # train/finetune_x.sh fine-tunes
        if is_config:
            hits.discard("code.architecture")
            hits.discard("code.inference")
            configs.add(p)
        elif "code.inference" in hits and (_DATA_SAMPLER.search(p) or _DATA_GENERATOR.search(p)):
            hits.discard("code.inference")
        if not hits:
            del by_name[p]
            continue
        key = (d in vendored, p.count("/"))
        group = named.get(key)
        if group is None:
            named[key] = [p]
        else:
            group.append(p)
    for d in ix.dirs_within_named(_CONFIG_DIR):  # never the root: it has no name of its own
        if d not in ignored and d not in no_configs:
            start = len(d) + 1  # where the names begin
            configs.update(f.path for f in ix.in_dirs((d,), CONFIG_EXT) if not _not_code_name(f.path[start:]))
    # scripts whose name says nothing, shallow folders first, only as many as the read budget allows
    generic: list[str] = []
    room = MAX_CONTENT_READS - len(by_name) - len(configs)
    if room > 0:
        for d in sorted(ix.by_dir, key=lambda d: (d in vendored, d.count("/") if d else -1, d)):
            if d and d.count("/") > 2 or d in ignored:
                continue
            # a test_*.py outside a tests folder is read too: a unit test is told by its content (the scan
            # below drops it), a script named so is not one (theone-ctrl/agriqa-tinyllama-lora-adapter's
            # test_model.py loads the adapter and generates answers)
            for f in sorted(ix.by_dir[d], key=lambda f: f.path):
                if f.path not in by_name and extension(f.path) in _GENERIC_EXT:
                    generic.append(f.path)
            if len(generic) >= room:
                break
    reqs = [f.path for f in ix.names_matching(_REQS_LINE, None, ("requirements", "pyproject", "setup.", "environment."))
            if f.path.count("/") <= 1]
    # read: the project's own files first, then vendored ones (a copied library's named scripts must not
    # spend the read budget before the project's own scripts: Yasindu-Liyanage's two Coqui TTS copies
    # did); each part name matches first (shallow first), then configs, then generic scripts
    def folder_vendored(p: str) -> bool:
        return p[:max(p.rfind("/"), 0)] in vendored

    by_depth: dict[tuple[bool, int], list[str]] = {}
    for p in configs:
        if p not in by_name:
            key = (folder_vendored(p), p.count("/"))
            group = by_depth.get(key)
            if group is None:
                by_depth[key] = [p]
            else:
                group.append(p)
    generic.sort(key=lambda p: (folder_vendored(p), depth(p), p))
    order: list[str] = []
    for third_party in (False, True):
        order += [p for key in sorted(named) if key[0] is third_party for p in sorted(named[key])]
        order += [p for key in sorted(by_depth) if key[0] is third_party for p in sorted(by_depth[key])]
        order += [p for p in generic if folder_vendored(p) is third_party]
    return by_name, order, reqs


def _scan_file(inv: Inventory, path: str) -> dict[str, set[str]]:
    """The content markers of one script or config (none when it has no readable text)."""
    text = _code_text(inv, path)
    return _CONTENT.scan(text) if text else {}


def _worth_sharing(inv: Inventory, paths: list[str]) -> bool:
    """Whether a split check should share the content reads of ``paths`` out (``detectors.split``):
    when they come to at least ``SHARE_AFTER`` bytes (``_volume``, notebooks included: they are read
    whole), about as long as the other detectors take together. Then the marker set's RE2 set is built
    now if ``_ready`` did not: so much content makes it pay."""
    if _volume(inv, paths, SHARE_AFTER, notebooks=True) < SHARE_AFTER:
        return False
    _CONTENT.warm()
    return True


def _ready(inv: Inventory, paths: list[str]) -> None:
    """Build the marker set's RE2 set before the scan when the scripts and configs about to be scanned
    come to ``RE2_AFTER`` characters by their sizes alone (notebooks left out: only their code cells
    are scanned): the set would be built after that many characters anyway, and the ``str.find``
    prefilter spared on them is ≈ 6 ms (66 ns a character). Smaller scans keep the set's own rule:
    ``str.find`` until ``RE2_AFTER`` characters, then the set."""
    if _volume(inv, paths, RE2_AFTER, notebooks=False) >= RE2_AFTER:
        _CONTENT.warm()


def _volume(inv: Inventory, paths: list[str], enough: int, notebooks: bool) -> int:
    """What the content scan of ``paths`` reads, by the files' sizes (each up to ``CONTENT_CAP``),
    counted until it comes to ``enough`` (each size is an lstat on first use)."""
    volume = 0
    for p in paths:
        if not notebooks and p.endswith(".ipynb"):
            continue
        entry = inv.get(p)
        volume += min(entry.size, CONTENT_CAP) if entry is not None else 0
        if volume >= enough:
            break
    return volume


@detector("code", COMPONENTS + (_MODERATION, _ALIGNING), reads=(_scan_file, _worth_sharing))
def code(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    yield from declared(ctx, COMPONENTS)
    by_name, order, reqs = _plan(ctx)
    hits: dict[str, list[tuple[int, Evidence]]] = {cid: [] for cid in COMPONENTS}

    def add(cid: str, rank: int, ev: Evidence) -> None:
        if len(hits[cid]) < 40:
            hits[cid].append((rank, ev))

    for p in reqs[:5]:  # what packaging declares first: the cap on evidence must not drop it
        text = inv.text(p, CONTENT_CAP) or ""
        for cid, ev in _entry_points(inv, p, text):
            add(cid, 1, ev)
        libs = sorted({m.group(1).lower() for m in _TRAIN_LIBS.finditer(text)})
        if libs:
            add("code.libraries", 3, Evidence(f"declares training libraries: {', '.join(libs[:5])}", p))
    releases = unpacked_releases(ctx.index)

    def third_party(p: str) -> bool:
        return is_vendored(p) or within(releases, p)

    moderation: list[Evidence] = []  # guardrails.safety_classifier: scripts that call a moderation service or run a safety checker
    aligning: list[Evidence] = []  # guardrails.aligned_weights (partial): scripts that train for safety
    paths = order[:MAX_CONTENT_READS]
    _ready(inv, paths)
    def judge(p: str, scanned: dict[str, set[str]], only: set[str] | None = None) -> None:
        """What one scanned file adds; ``only``: the components a second read of it may still add."""
        test_named = _test_module(p[p.rfind("/") + 1:])
        if test_named and scanned.get("unittest"):
            return  # a unit test checks the code; it does not train or run the model
        names = by_name.get(p, set()) if only is None else set()
        is_config = extension(p) in CONFIG_EXT
        vendored = " (vendored third-party code)" if third_party(p) else ""
        content = _components_from_content(p, scanned, is_config) if scanned else {}
        if test_named:  # a script named as a test counts only as one that tries the model: it runs it
            # (a sanity check that overfits a batch trains nothing; a test split's dataset runs nothing)
            runs = any(m != "apply_chat_template" for m in scanned.get("infer", ()))
            content = {"code.inference": content["code.inference"]} if runs and "code.inference" in content else {}
        if only is not None:  # a second read of the file: what it may still add, nothing found before again
            content = {cid: markers for cid, markers in content.items() if cid in only}
        elif not vendored:
            if len(moderation) < MAX_EVIDENCE and (guard := _guard_in(scanned)):
                moderation.append(Evidence(guard, p))
            if len(aligning) < MAX_EVIDENCE and (why_safe := _safety_alignment(scanned)):
                aligning.append(Evidence(why_safe, p))
        for cid, markers in content.items():
            why = "named so, and " if cid in names else ""
            add(cid, 0 if cid in names else 1,
                Evidence(f"{_LABEL[cid]}: {why}contains {', '.join(markers)}{vendored}", p))
        for cid in names - set(content):
            if cid == "code.architecture":
                continue  # a model.py that defines no network is not the architecture
            if cid == "code.training" and "code.fine_tuning" in content and "pretrain" not in p.lower():
                continue  # trains a pretrained model: fine-tuning, reported as such
            if is_config and not content and cid not in ("code.libraries", "code.evaluation"):
                continue  # a config whose content says nothing about training
            if cid == "code.evaluation" and scanned.get("speed") and not scanned.get("evaluate"):
                continue  # a speed benchmark (timings, throughput) measures the hardware, not the model
            add(cid, 2, Evidence(f"{_LABEL[cid]} (by file name){vendored}", p))

    for p, scanned in zip(paths, ctx.scan_files(paths, _scan_file)):
        judge(p, scanned)
    # a notebook cut off at the text cap was judged by the code cells of its head; its later cells (Jupyter
    # writes a cell's outputs before its source, and plots fill the head) are read only while a component
    # they could show is still missing (danhtran2mind/Viet-Glow-TTS-finetuning: trainer.fit() 2 MB in)
    still = _still_missing(hits)
    cut = [p for p in paths if p.endswith(".ipynb") and (e := inv.get(p)) is not None and e.size > inv.text_cap] if still else []
    for i, p in enumerate(cut):
        if i == MAX_WHOLE_NOTEBOOKS:
            inv.mark_unread(cut[i:], f"only the head of the notebook read: the code detector reads at most "
                                     f"{MAX_WHOLE_NOTEBOOKS} notebooks whole", tuple(sorted(still)))
            break
        raw = inv.read_whole_notebook(p)
        if raw:
            cells = notebook.code_cells_of_bytes(raw)[:NOTEBOOK_CODE_CAP]
            judge(p, _CONTENT.scan(cells) if cells else {}, still)
            still = _still_missing(hits)
            if not still:
                break
    # beyond the read budget: judged by name only, and each one listed as unread (a large tree can
    # have tens of thousands; the evidence lists are full long before, so no Evidence is made for them)
    unread = (f"content not read: the code detector reads at most {MAX_CONTENT_READS} scripts and configs "
              "(judged by its name)")
    beyond = order[MAX_CONTENT_READS:]
    inv.mark_unread(beyond, unread)
    room = {cid for cid, items in hits.items() if len(items) < 40}  # the components whose list is not full
    for p in beyond:
        names = by_name.get(p)
        if not names or room.isdisjoint(names):
            if not room:
                break
            continue
        suffix = " (by file name; content not read)" + (" (vendored third-party code)" if third_party(p) else "")
        for cid in names & room:
            items = hits[cid]
            items.append((2, Evidence(_LABEL[cid] + suffix, p)))
            if len(items) >= 40:
                room.discard(cid)
    config_facts = _architecture_configs(ctx, add)
    # the card, and the root README when the card lives in a folder: the front page shows how to run it
    snippet = _usage_snippet(ctx.documents)
    if snippet is not None:
        card, s, m = snippet
        where = "the model card" if card is ctx.model_card else "the README"
        line = s.line + s.body[:m.start()].count("\n") + 1
        why = f"usage snippet in {where} ({m.group(0)})"
        if hits["code.inference"]:
            add("code.inference", 4, Evidence(why, card.path, line))
        else:  # the snippet runs the model with someone else's code (a library, a server): linked
            yield Finding("code.inference", LINKED, (Evidence(
                f"{why}: the model runs with external code; no inference script, entry point or demo in "
                "the repository", card.path, line),))
    if moderation:
        yield Finding(_MODERATION, PRESENT, tuple(moderation))
    if aligning:
        yield Finding(_ALIGNING, PARTIAL, tuple(aligning), {"safety_alignment": True})
    for cid, items in hits.items():
        if not items:
            continue
        items.sort(key=lambda t: (t[0], depth(t[1].path or ""), t[1].path or ""))
        first_party = [e for _, e in items if "vendored" not in e.reason]
        evidence = [e for _, e in items]
        facts = {"files": len({e.path for e in evidence}), "vendored_only": not first_party,
                 **(config_facts if cid == "code.architecture" else {})}
        if not first_party:
            evidence.append(Evidence("all of it is vendored third-party code, not the project's own"))
        yield Finding(cid, PRESENT, tuple(evidence[:MAX_EVIDENCE]), facts)


# A config-like file that is no code: tokenizer and tooling files, the root model config (the
# architecture reads it), evaluation results (pythia's 285 result JSONs in ``evals/`` embed the
# training config they were evaluated with: output, and 8 MB of reading). _NOT_CODE_CONFIG's
# alternatives are either one folder (".github/") or a file name ending the path, and RESULTS_JSON's
# a file name: ``_plan`` judges the folder half once per folder name (FileIndex.dirs_within_named)
# and the name half once per name
@lru_cache(maxsize=1 << 16)
def _test_module(name: str) -> bool:
    """Whether a file name is a test module's (once per name: a large tree's candidates repeat them)."""
    return bool(_TEST_NAME.fullmatch(name))


@lru_cache(maxsize=1 << 16)
def _not_code_name(name: str) -> bool:
    return bool(_NOT_CODE_CONFIG.search(name) or RESULTS_JSON.search(name))


def _entry_points(inv: Inventory, meta: str, text: str) -> Iterable[tuple[str, Evidence]]:
    """(component, evidence) for each console script of a packaging file whose words say its role;
    the evidence points at the module the script runs when it is in the tree."""
    from openness_gate.parsers import entry_points

    parse = entry_points.PARSERS.get(meta.rsplit("/", 1)[-1])
    if parse is None or not text:
        return
    base = meta.rsplit("/", 1)[0] + "/" if "/" in meta else ""
    for ep in parse(text, meta):
        words = set(ep.words)
        cid = next((c for c, vocab in _ENTRY_POINT_WORDS if words & vocab), None)
        if cid is None:
            continue
        mod = ep.module.replace(".", "/")
        target = next((c for c in (f"{base}{mod}.py", f"{base}src/{mod}.py", f"{base}{mod}/__init__.py",
                                   f"{base}src/{mod}/__init__.py") if inv.get(c) is not None), None)
        yield cid, Evidence(f"{_LABEL[cid]}: console script `{ep.name}` runs {ep.module}"
                            f"{':' + ep.function if ep.function else ''} (declared in {meta})",
                            target or meta, None if target else ep.line)


def _code_text(inv: Inventory, path: str) -> str | None:
    """What the content scan reads: the head of a script or config, a notebook's code cells. Read
    once and not kept (``keep=False``): no other detector reads most of these files."""
    if path.endswith(".ipynb"):
        raw = inv.read_text(path, keep=False).text  # outputs and images make notebooks large; code cells are small
        return notebook.code_cells(raw)[:CONTENT_CAP] if raw else raw
    return inv.read_text(path, CONTENT_CAP, keep=False).text


def _guard_in(scanned: dict[str, set[str]]) -> str | None:
    """Why a scanned script is a guardrail (``guardrails.safety_classifier``), or None."""
    if scanned.get("moderate"):
        return f"calls a moderation service ({', '.join(sorted(scanned['moderate'])[:2])})"
    if scanned.get("safetycheck"):
        return "runs a safety checker on generated images (StableDiffusionSafetyChecker)"
    if scanned.get("sanitise"):
        return "refuses prompts that hold the model's special tags (prompt sanitisation against special-token injection)"
    if scanned.get("injection"):
        return f"checks input for prompt injection ({', '.join(sorted(scanned['injection'])[:2])})"
    return None


def _safety_alignment(scanned: dict[str, set[str]]) -> str | None:
    """Why a scanned script is safety-alignment training (``guardrails.aligned_weights``, partial: the
    recipe, not the weights), or None: it trains or fine-tunes, and says the training is for safety."""
    steps = scanned.get("finetune") or scanned.get("train")
    if not steps or not scanned.get("safealign"):
        return None
    return (f"safety-alignment training code: runs {', '.join(sorted(steps)[:2])} and names its purpose "
            f"('{sorted(scanned['safealign'])[0]}'); the aligned weights are not judged by this")


def _still_missing(hits: dict[str, list[Any]]) -> set[str]:
    """The code components a notebook's later cells could still show: training and fine-tuning count
    as one (a notebook cannot turn one found into the other)."""
    trains = bool(hits["code.training"] or hits["code.fine_tuning"])
    return {cid for cid in _NOTEBOOK_COMPONENTS if not hits[cid] and not (trains and cid in _TRAINING_IDS)}


def _usage_snippet(documents: list[Any]) -> tuple[Any, Any, re.Match[str]] | None:
    """(document, section, match) of the first code token that runs the model (fenced or inline).
    A ``--model`` option on a command that runs a training script trains it
    (``python ./finetune.py --model simclr``, kimyuji/Fine-tune-with-Few-Samples): not a usage snippet."""
    for doc in documents:
        for s in doc.sections:
            body = s.body[:50_000]
            for m in anchored.finditer(_CARD_SNIPPET, _CARD_SNIPPET_STARTS, body):
                if m.group(0).lower().startswith("--model"):  # the command before it, on its line
                    if _runs_training(body[body.rfind("\n", 0, m.start()) + 1:m.start()]):
                        continue
                return doc, s, m
    return None


def _runs_training(command: str) -> bool:
    """Whether a command line runs a script whose name says it trains or fine-tunes, by the names
    the detector reads files by (``_NAME_LINE``)."""
    return any(_NAME_LINE[cid].search(name) for name in _SCRIPT_NAME.findall(command.lower())
               for cid in ("code.training", "code.fine_tuning"))


def _architecture_configs(ctx: Context, add) -> dict[str, Any]:
    """Add evidence for the root model configs; return what they name (``architectures`` and ``model_type``
    of a transformers ``config.json``, a diffusers ``pipeline_class``) for the facts."""
    inv = ctx.inventory
    facts: dict[str, Any] = {}
    for p in ("config.json", "params.json", "model_index.json"):
        if p not in inv:
            continue
        data = load_json(inv.text(p, 256 * 1024))
        if not isinstance(data, dict):
            continue
        if p == "config.json" and (data.get("architectures") or data.get("model_type")):
            arch = data.get("architectures")
            name = arch[0] if isinstance(arch, list) and arch and isinstance(arch[0], str) else data.get("model_type")
            add("code.architecture", 1, Evidence(f"model config naming the architecture ({str(name)[:60]})", p))
            names = [a.strip()[:100] for a in arch if isinstance(a, str) and a.strip()][:5] \
                if isinstance(arch, list) else []
            facts.update({**({"architectures": names} if names else {}),
                          **({"model_type": data["model_type"].strip()[:100]}
                             if isinstance(data.get("model_type"), str) and data["model_type"].strip() else {})})
        elif p == "params.json" and {"dim", "n_layers"} <= set(data):
            add("code.architecture", 1, Evidence("model hyper-parameters (dim, n_layers, n_heads…)", p))
        elif p == "model_index.json" and data.get("_class_name"):
            add("code.architecture", 1, Evidence(f"diffusers pipeline definition ({str(data['_class_name'])[:60]})", p))
            if isinstance(data["_class_name"], str):
                facts["pipeline_class"] = data["_class_name"].strip()[:100]
    return facts
