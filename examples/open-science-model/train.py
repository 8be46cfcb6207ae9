"""Pre-train Nimbus: python train.py --config configs/pretrain.yaml"""
import argparse

import torch
import yaml

from modeling_nimbus import NimbusForCausalLM


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    cfg = yaml.safe_load(open(parser.parse_args().config))
    model = NimbusForCausalLM()
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
    for step, batch in enumerate(load_batches(cfg["data"])):
        loss = torch.nn.functional.cross_entropy(model(batch[:, :-1]).flatten(0, 1), batch[:, 1:].flatten())
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if step % cfg["checkpoint_every"] == 0:
            torch.save(model.state_dict(), f"checkpoints/step-{step}/model.pt")


def load_batches(path):
    raise NotImplementedError("streams tokenised shards from data/")


if __name__ == "__main__":
    main()
