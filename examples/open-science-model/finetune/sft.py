"""Supervised fine-tuning of Nimbus on an instruction mix (LoRA optional)."""
import argparse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/sft/mix.jsonl")
    parser.add_argument("--lora-rank", type=int, default=0)
    args = parser.parse_args()
    print(f"fine-tuning on {args.data} (LoRA rank {args.lora_rank})")


if __name__ == "__main__":
    main()
