"""Privacy by class: a generator per class of input, a harness through the product's real to-client path,
and one zero-leak test per class (see catalog.CLASSES)."""
