"""Widgets of the meeting screen. Each shows part of the session and posts the rep's intents as messages."""
