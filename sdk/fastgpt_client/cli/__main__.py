"""``python -m fastgpt_client.cli``."""

import sys

from fastgpt_client.cli import main

sys.exit(main())
