"""Keep stored statuses true when the dates they depend on change.

An act's own save refreshes its participation (TreatyAction.save). A treaty's key dates
decide every participation's status (in force or not, expired or not), so a save that
moves one of them refreshes the treaty's statuses at once rather than at the next daily
run of `refresh_statuses`.
"""

from .models import Treaty
from .services import refresh_statuses

STATUS_DATES = (
    "entered_into_force_on",
    "entered_into_force_precision",
    "expires_on",
    "expires_precision",
)


def remember_dates(sender, instance, raw=False, **kwargs):
    instance._dates_before_save = None
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._dates_before_save = (
        Treaty.objects.filter(pk=instance.pk).values_list(*STATUS_DATES).first()
    )


def refresh_after_date_change(sender, instance, raw=False, created=False, **kwargs):
    before = getattr(instance, "_dates_before_save", None)
    if raw or created or before is None:
        return
    if before != tuple(getattr(instance, name) for name in STATUS_DATES):
        refresh_statuses(treaties=[instance], user=getattr(instance, "_history_user", None))
