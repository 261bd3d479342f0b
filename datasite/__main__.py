"""`python -m datasite`: the `datasite` command."""

import sys

from .cli import main

sys.exit(main())
