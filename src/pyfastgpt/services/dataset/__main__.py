"""``python -m pyfastgpt.services.dataset``: one training worker process (``pyfastgpt worker``'s body).

Settings come from the environment like the server's (``DATABASE_URL``, ``DATA_DIR``,
``MODELS_CONFIG``, ``TRAINING_WORKERS``, ``TRAINING_LEASE_S``…); SIGTERM/SIGINT stop it cleanly.
"""

from __future__ import annotations

import asyncio

from pyfastgpt.core.config import Settings
from pyfastgpt.services.dataset.workers import run_worker


def main() -> None:
    asyncio.run(run_worker(Settings()))


if __name__ == "__main__":
    main()
