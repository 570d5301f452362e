"""``makemessages`` that also extracts ``gettext_now("…")``.

Modules that translate at call time import ``gettext as gettext_now`` (beside ``gettext_lazy as _``);
xgettext knows only Django's own names, so without this keyword those strings never reach the
catalogue and stay Chinese in the English interface.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=gettext_now"]
