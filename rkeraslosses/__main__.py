"""``python -m rkeraslosses evaluate ...``: see :mod:`rkeraslosses.cli`."""

import sys

from .cli import main

sys.exit(main())
