"""Writes of insights, one module per concern (re-exported here):

* ``feedback``: ``feedback_sync`` (survey comments and first customer messages into the inbox),
  ``feedback_label_correct`` (a person's label);
* ``imports``: ``batch_upload``, ``batch_start``, ``batch_run`` (CSV reviews with a mapping);
* ``text``: ``text_clean``, ``content_hash``.
"""

from . import labels
from .feedback import feedback_label_correct, feedback_sync
from .imports import (
    FIELDS,
    batch_run,
    batch_start,
    batch_upload,
    guess_mapping,
    mapping_check,
    rows_of,
)
from .labels import classifier_train, feedback_label_pending
from .text import content_hash, text_clean
from .topics import (
    topic_merge,
    topic_rename,
    topic_run_execute,
    topic_run_request,
    topics_assign_new,
)
from .trends import alerts_refresh

__all__ = [
    "FIELDS",
    "alerts_refresh",
    "batch_run",
    "batch_start",
    "batch_upload",
    "classifier_train",
    "content_hash",
    "feedback_label_correct",
    "feedback_label_pending",
    "feedback_sync",
    "guess_mapping",
    "labels",
    "mapping_check",
    "rows_of",
    "text_clean",
    "topic_merge",
    "topic_rename",
    "topic_run_execute",
    "topic_run_request",
    "topics_assign_new",
]
