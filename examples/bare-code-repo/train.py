"""Train TinyNet on MNIST."""
import argparse

import torch
from torchvision import datasets, transforms

from tinynet.model import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
args = parser.parse_args()
data = datasets.MNIST("data", download=True, transform=transforms.ToTensor())
loader = torch.utils.data.DataLoader(data, batch_size=64, shuffle=True)
model = TinyNet()
opt = torch.optim.Adam(model.parameters())
for epoch in range(args.epochs):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
