"""The validated guideline as one cross-referenced whole, in each language, and its history."""
