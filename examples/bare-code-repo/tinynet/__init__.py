"""tinynet: a small CNN for MNIST."""
