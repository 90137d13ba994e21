"""Practice away from customers: role-play (the app plays a scenario's customer and scores the
trainee) and the quick objection drill."""

from .drill import Drill
from .roleplay import RecordedRolePlay, RolePlay, Scorecard

__all__ = ["Drill", "RecordedRolePlay", "RolePlay", "Scorecard"]
