"""The ``frontline`` command.

Database-free subcommands (``staffing``, ``forecast``, ``sla``, ``metrics``, ``insights``, ``quality``) run the pure engine on the
numbers or files they are given; everything else is passed to Django's management
commands (``frontline demo``, ``frontline migrate``, ``frontline runserver`` ...).
"""

from __future__ import annotations

import importlib
import os
import sys

# subcommand -> module with a ``main(argv: list[str]) -> int``
ENGINE_COMMANDS = {
    "staffing": "frontline.commands.staffing",
    "forecast": "frontline.commands.forecast",
    "sla": "frontline.commands.sla",
    "metrics": "frontline.commands.metrics",
    "insights": "frontline.commands.insights",
    "quality": "frontline.commands.quality",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ENGINE_COMMANDS:
        module = importlib.import_module(ENGINE_COMMANDS[args[0]])
        return int(module.main(args[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["frontline", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
