"""The cross-file rules and the validation run that collects every problem."""
