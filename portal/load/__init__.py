"""Stage 1, load: read content/, data/, templates/ and static/ into Sources, with every
problem at its path and line (sources.py), through one YAML reader that keeps lines
(yamlnodes.py), typed shapes (shape.py) and the interface strings (strings.py)."""
