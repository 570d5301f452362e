"""What measures announces to the apps above it. They connect at start-up (their ``AppConfig.ready``), so
measures never imports them (the import contract in pyproject.toml)."""

from django.dispatch import Signal

# Sent once a review that changes the public counts has committed: a completion form approved or reopened
# (completed measures, verified reduction tonnes). No arguments.
completion_changed = Signal()

# Sent inside the transaction that loaded a plan file, once its plan, targets, measures and assignments are
# stored. Arguments: plan; changed (False when the load wrote nothing).
plan_loaded = Signal()
