"""The durable training queue: jobs in ``training_jobs``, claimed with a lease, turned into data.

- :mod:`queue` — push jobs, claim them (SKIP LOCKED on PostgreSQL, one atomic UPDATE on SQLite),
  record failures, count what is left.
- :mod:`chunk` — a claimed ``chunk`` job → indexes → embeddings → data + index rows + vectors +
  full-text row, written with the job's deletion in one transaction (so a crash loses nothing and
  duplicates nothing).
- :mod:`qa` — a ``qa`` job → FastGPT's QA prompt → parsed Q/A pairs pushed back as ``chunk`` jobs.
- :mod:`worker` — the loop that claims and processes jobs, pipelined: the next batch is claimed and
  planned while one embeds, and written while the next one embeds.
"""

from pyfastgpt.rag.training.chunk import ChunkWriter, DataDraft, PreparedData
from pyfastgpt.rag.training.qa import QA_PROMPT_DESCRIPTION, build_qa_prompt, parse_qa_pairs
from pyfastgpt.rag.training.queue import JobDraft, TrainingQueue
from pyfastgpt.rag.training.worker import TrainingWorker

__all__ = [
    "QA_PROMPT_DESCRIPTION",
    "ChunkWriter",
    "DataDraft",
    "JobDraft",
    "PreparedData",
    "TrainingQueue",
    "TrainingWorker",
    "build_qa_prompt",
    "parse_qa_pairs",
]
