"""Knowledge-base ingest: datasets, collections, data and the training queue behind them."""

from pyfastgpt.services.dataset.collections import CollectionService
from pyfastgpt.services.dataset.data import DataService
from pyfastgpt.services.dataset.datasets import DatasetCreate, DatasetService
from pyfastgpt.services.dataset.kb import KnowledgeBase, build_knowledge_base
from pyfastgpt.services.dataset.training import TrainingService
from pyfastgpt.services.dataset.workers import TrainingHandle, run_worker, start_training_workers

__all__ = [
    "CollectionService",
    "DataService",
    "DatasetCreate",
    "DatasetService",
    "KnowledgeBase",
    "TrainingHandle",
    "TrainingService",
    "build_knowledge_base",
    "run_worker",
    "start_training_workers",
]
