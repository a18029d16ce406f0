"""Ansible filter plugin file: Ansible loads this file and calls ``FilterModule().filters()``.

Point ``filter_plugins`` in ``ansible.cfg`` at this directory
(``python -m cidrplan.ansible`` prints it); the filters live in :mod:`cidrplan.ansible`.
"""

from cidrplan.ansible import FilterModule

__all__ = ["FilterModule"]
