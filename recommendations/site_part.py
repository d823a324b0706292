"""The recommendations app's part in the site: seed, cited facts, review check, editors' rights."""

from django.utils.translation import gettext_lazy as _

from core.editors import ACTIONS
from core.registry import Facts, SitePart

from . import review
from .models import Recommendation, RecommendationUpdate
from .search import FINDERS
from .services import recommendation_refresh_all_statuses

PART = SitePart(
    label="recommendations",
    seed_fixture="recommendations.json",
    after_seed_fixtures=recommendation_refresh_all_statuses,
    facts=[
        Facts("recommendations", Recommendation, related=("source",)),
        Facts(
            "update-evidence",
            RecommendationUpdate,
            source_field="evidence",
            related=("recommendation",),
            order=("date_on", "pk"),
            template="recommendations/cited/updates.html",
            label=_("Status updates of recommendations"),
            unsourced_review=False,
        ),
    ],
    review_checks=review.CHECKS,
    editor_models={
        model: ACTIONS for model in ("recommendation", "footnote", "recommendationupdate")
    },
    exports=[
        "recommendations:recommendation-export",
        "recommendations:footnote-export",
        "recommendations:update-export",
    ],
    finders=FINDERS,
)
