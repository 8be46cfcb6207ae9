"""The network: two conv layers and a classifier."""
from torch import nn


class TinyNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(32 * 5 * 5, 10)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
