"""Offline data for the course: nothing here downloads.

- ``digits``: scikit-learn's 8x8 digits with a fixed stratified split, shipped in ``data/``.
- ``shapes``: synthetic RGB circles, squares and triangles from a seed.
- ``sequences``: synthetic sequence tasks (noisy sine, the adding problem).
- ``keras_datasets``: MNIST / Fashion-MNIST / CIFAR-10 when already cached.
"""
