"""The portal's static site engine: load → model → render → write.

Each stage is a function of the previous stage's output; `cli` is the one place
that turns problems into an exit code.
"""

__version__ = "0.1.0"  # pyproject.toml reads it from here
