"""`python -m portal`: the same command line as `build.py` and `portal`."""

import sys

from portal.cli import main

sys.exit(main())
