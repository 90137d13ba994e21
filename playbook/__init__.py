"""playbook: a sales-playbook and objection-handling guidance engine (no UI code)."""

__version__ = "0.1.0"
