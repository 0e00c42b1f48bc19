"""`python -m trmgen` runs the command-line interface."""

from trmgen.cli import main

raise SystemExit(main())
