"""Resource namespaces, one module per URL area (``client.datasets.collections`` ↔ ``/api/core/dataset/collection``)."""
