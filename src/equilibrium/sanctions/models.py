"""The curated sanctions record: announcements carrying one or more actions, each with its legal authority,
targets, dates and sources.

An *action* is one legal act or non-act: a designation on a list, a menu sanction imposed under a statute, a
sanction under a statute without any list entry, a waiver, a delisting, a determination not made, a statement, a
legislative measure. Several actions can come in one *announcement* (the State Department's September 2024
notice, say). Dates are ISO (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); countries ISO3. Targets map to
FollowTheMoney schemata (``Organization``, ``Company``, ``Person``, ``PublicBody``) so that the record
interoperates with OpenSanctions; a target names its list entry (``list_id``, e.g. ``OFAC-12345``) or says it is
not on any list (``unlisted: true``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ActionType = Literal["designation", "menu-sanction", "statutory-sanction", "waiver", "delisting",
                     "determination-not-made", "statement", "legislative-measure"]
"""What the action is: a designation on a list; a menu sanction chosen from a statute's menu (e.g. CAATSA §235);
a sanction that a statute imposes without a list entry (Pressler, Glenn); a waiver of a sanction; a delisting;
a decision or determination that was not made (e.g. no CAATSA determination on India); a statement of policy;
a legislative measure (a bill or amendment)."""

ListName = Literal["SDN", "non-SDN", "Entity List", "Federal Register", "UN", "EU", "none"]
"""Where an action is implemented: OFAC's SDN list, an OFAC non-SDN list, Commerce's Entity List, a Federal
Register notice only (e.g. State's missile sanctions), a UN or EU list, or nowhere."""

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Authority(_M):
    """The legal basis: ``instrument`` (``E.O. 13382``, ``AECA``, ``CAATSA``, ``Glenn Amendment``, ``Pressler
    Amendment``, ``EAR``) and ``section`` (``§1(a)(ii)``, ``§73(a)``, ``§231/§235``, ``§102(b)``)."""

    instrument: str
    section: str | None = None

    @property
    def text(self) -> str:
        """``E.O. 13382 §1(a)(ii)``."""
        return f"{self.instrument} {self.section}".strip() if self.section else self.instrument


class Target(_M):
    """A sanctioned (or waived, or not-determined) party: a FollowTheMoney schema, a name, aliases, a country
    (ISO3), whether it is state-owned or a state organ, and its list entry or ``unlisted``."""

    name: str
    schema_: Literal["Organization", "Company", "Person", "PublicBody", "LegalEntity", "Country"] = Field(
        alias="schema")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    aliases: list[str] = []
    state: bool = False
    list_id: str | None = None
    unlisted: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _listing(self) -> Target:
        if self.list_id and self.unlisted:
            raise ValueError("a target cannot have a list_id and be unlisted")
        return self


class Action(_M):
    """One action of an announcement (see module docstring)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    type: ActionType
    sender: str = Field(pattern=r"^[A-Z]{3}$|^(UN|EU)$")
    authority: Authority
    agency: str
    implementing_list: ListName = "none"
    program: str | None = None
    targets: list[Target] = Field(min_length=1)
    date_effective: str | None = Field(default=None, pattern=DATE)
    end_date: str | None = Field(default=None, pattern=DATE)
    sources: list[str] = Field(min_length=1)
    unverified: bool = False
    note: str | None = None


class Announcement(_M):
    """One announcement (press release, Federal Register notice, statement, bill) with its actions."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    date_announced: str = Field(pattern=DATE)
    official_source: str | None = None
    secondary_sources: list[str] = []
    actions: list[Action] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Announcement:
        if self.official_source is None and not self.secondary_sources:
            raise ValueError("an announcement needs an official_source or secondary_sources")
        return self
