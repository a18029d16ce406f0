"""Ansible filter plugin directory (see :mod:`cidrplan.ansible`)."""
