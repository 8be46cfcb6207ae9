"""Run the benchmark suite with lm-evaluation-harness and write eval/results/."""
import subprocess

TASKS = "hellaswag,arc_easy"
subprocess.run(["lm_eval", "--model", "hf", "--model_args", "pretrained=.", "--tasks", TASKS,
                "--output_path", "eval/results"], check=True)
