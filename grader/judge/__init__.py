"""The judge's tools that read and compare Keras models: ``expect`` (verdicts with named mistakes),
``truth`` (output shapes and parameter counts computed by Keras), ``structure`` (a model's layer list),
``cnn_truth`` (a functional model's graph, shared weights, behaviour).  They use the core, never a
front end."""
