"""Sanctions: the curated, sourced record of actions (designations, menu and statutory sanctions, waivers,
delistings, non-decisions) and its analytics; FollowTheMoney export.

Public API: :func:`record` / :func:`load_record`, :func:`actions`, :func:`asymmetry`, :func:`to_ftm`.
"""

from equilibrium.sanctions.analytics import actions, asymmetry
from equilibrium.sanctions.ftm import to_ftm
from equilibrium.sanctions.models import Action, Announcement, Authority, Target
from equilibrium.sanctions.record import Record, Row, load_record, record

__all__ = ["Action", "Announcement", "Authority", "Record", "Row", "Target", "actions", "asymmetry", "load_record",
           "record", "to_ftm"]
