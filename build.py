#!/usr/bin/env python3
"""Build the portal: `python build.py [build|serve|check] [--out DIR] [--base-url URL]`.

A thin entry point; the engine is the `portal` package beside this file.
"""

import sys

from portal.cli import main

if __name__ == "__main__":
    sys.exit(main())
