"""One module per edge family; each exposes ``build(builder)``."""
