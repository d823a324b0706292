"""The people app's part in the site: its seed, the facts that cite a source, editors' rights."""

from core.editors import ACTIONS
from core.registry import Facts, SitePart

from .models import Membership, Organization, Person, Session, StudyGroup
from .search import FINDERS

PART = SitePart(
    label="people",
    seed_fixture="people.json",
    facts=[
        Facts("sessions", Session),
        Facts("memberships", Membership, related=("person", "group")),
        Facts("people", Person, unsourced_review=False),
        Facts("study-groups", StudyGroup, unsourced_review=False),
        Facts("organizations", Organization, unsourced_review=False),
    ],
    editor_models={
        model: ACTIONS
        for model in (
            "organization",
            "person",
            "studygroup",
            "membership",
            "session",
            "sessionitem",
        )
    },
    exports=[
        "people:person-export",
        "people:membership-export",
        "people:session-export",
        "people:session-item-export",
    ],
    finders=FINDERS,
)
