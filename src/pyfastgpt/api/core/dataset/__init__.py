"""`/api/core/dataset/*`: datasets, collections, data, training queue and search test."""
