"""The Textual front end: a view over the engine in playbook/."""
