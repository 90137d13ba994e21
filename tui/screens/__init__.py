"""Screens of the app: start, meeting, summary, help and dialogs."""
