"""Knowledge-base search (FastGPT §6.6): `DatasetSearchService` implements the workflow's
`DatasetSearch` port; `searchTest` calls it too."""

from pyfastgpt.rag.search.filters import SearchFilter, metadata_matches, parse_search_filter
from pyfastgpt.rag.search.fusion import filter_by_similarity, limit_by_tokens, remove_duplicates, weighted_rrf
from pyfastgpt.rag.search.service import RECALL_LIMITS, SEARCH_MODES, DatasetSearchService

__all__ = [
    "RECALL_LIMITS",
    "SEARCH_MODES",
    "DatasetSearchService",
    "SearchFilter",
    "filter_by_similarity",
    "limit_by_tokens",
    "metadata_matches",
    "parse_search_filter",
    "remove_duplicates",
    "weighted_rrf",
]
