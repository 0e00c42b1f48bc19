"""Where the source files live, how they are read safely, the strict YAML loader with
positions, the content model and its value types, and loading files into models."""
