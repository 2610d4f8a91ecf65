"""Importing complaint exports: readers, header mapping, normalisation, masking, batches."""

from analytics.ingest.batches import (
    list_batches,
    load_mapping_profile,
    mapping_profiles,
    quarantine_csv,
    quarantine_rows,
    rollback_batch,
    save_mapping_profile,
)
from analytics.ingest.pii import mask_personal_data
from analytics.ingest.pipeline import DEFAULT_SOURCE, TableResult, import_file, preview_file

__all__ = [
    "DEFAULT_SOURCE",
    "TableResult",
    "import_file",
    "list_batches",
    "load_mapping_profile",
    "mapping_profiles",
    "mask_personal_data",
    "preview_file",
    "quarantine_csv",
    "quarantine_rows",
    "rollback_batch",
    "save_mapping_profile",
]
