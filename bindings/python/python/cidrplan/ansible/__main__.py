"""``python -m cidrplan.ansible`` prints the directory to set as ``filter_plugins``."""

from cidrplan.ansible import FILTER_PLUGINS_DIR


def main() -> None:
    """Prints :data:`cidrplan.ansible.FILTER_PLUGINS_DIR`."""
    print(FILTER_PLUGINS_DIR)


if __name__ == "__main__":
    main()
