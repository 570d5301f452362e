"""What monitoring announces to the apps above it. They connect at start-up (their ``AppConfig.ready``), so
monitoring never imports them (the import contract in pyproject.toml)."""

from django.dispatch import Signal

# Sent once the transaction that changed stored daily or period results has committed.
# Keyword argument ``years``: the sorted calendar years whose results changed (list[int]).
results_changed = Signal()
