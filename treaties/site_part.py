"""The treaties app's part in the site: its seed, its facts, its checks, its editors' rights."""

from django.utils.translation import gettext_lazy as _

from core.editors import ACTIONS
from core.registry import Facts, SitePart

from . import review
from .models import Country, Participation, ReportedFigure, Treaty, TreatyAction, TreatyEvent
from .records import refresh_statuses_after_seed
from .search import FINDERS
from .seed import load_imports

PART = SitePart(
    label="treaties",
    seed_fixture="treaties.json",
    after_seed_fixtures=refresh_statuses_after_seed,
    load_seed_imports=load_imports,
    facts=[
        Facts(
            "treaties",
            Treaty,
            order=("display_order", "pk"),
            template="treaties/cited/treaties.html",
        ),
        Facts(
            "participations",
            Participation,
            related=("treaty", "country"),
            order=("treaty__display_order", "country__code", "pk"),
            template="treaties/cited/participations.html",
        ),
        Facts(
            "actions",
            TreatyAction,
            related=("participation__treaty", "participation__country"),
            order=("participation__treaty__display_order", "date_on", "pk"),
            template="treaties/cited/actions.html",
        ),
        Facts(
            "figures",
            ReportedFigure,
            related=("treaty", "country"),
            template="treaties/cited/figures.html",
        ),
        Facts(
            "events",
            TreatyEvent,
            related=("treaty",),
            prefetch=("countries",),
            template="treaties/cited/events.html",
        ),
        Facts(
            "postures",
            Country,
            source_field="posture_source",
            order=("code",),
            template="treaties/cited/postures.html",
            unsourced_review=False,
        ),
        Facts(
            "un-memberships",
            Country,
            source_field="un_member_source",
            order=("code",),
            label=_("UN memberships of countries"),
            unsourced_review=False,
        ),
        Facts(
            "complete-records",
            Treaty,
            source_field="record_complete_source",
            order=("display_order", "pk"),
            label=_("Treaties whose record of states is complete"),
            unsourced_review=False,
        ),
    ],
    review_checks=review.CHECKS,
    editor_models={
        **{
            model: ACTIONS
            for model in (
                "treaty",
                "country",
                "participation",
                "treatyaction",
                "reportedfigure",
                "treatyevent",
            )
        },
        # Editors import files and read the log of imports, which no one edits.
        "importbatch": ("add", "view"),
    },
    exports=[
        "treaties:treaty-export",
        "treaties:country-export",
        "treaties:participation-export",
        "treaties:participation-matrix-export",
        "treaties:event-export",
        "treaties:action-export",
        "treaties:figure-export",
    ],
    finders=FINDERS,
)
