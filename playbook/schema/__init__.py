"""The JSON Schema that defines the playbook format, shipped as package data."""
