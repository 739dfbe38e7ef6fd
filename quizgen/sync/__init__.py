"""Live sync into a running Anki over the AnkiConnect protocol (see :func:`run.sync`)."""
