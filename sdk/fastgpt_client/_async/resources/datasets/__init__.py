"""``client.datasets``: knowledge bases, their collections, data and training queue."""

from fastgpt_client._async.resources.datasets.collections import AsyncCollections
from fastgpt_client._async.resources.datasets.data import AsyncData
from fastgpt_client._async.resources.datasets.datasets import AsyncDatasets
from fastgpt_client._async.resources.datasets.training import AsyncTraining

__all__ = ["AsyncCollections", "AsyncData", "AsyncDatasets", "AsyncTraining"]
