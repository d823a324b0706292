"""History helpers that know no app: every model with `history = HistoricalRecords()`."""

from django.apps import apps
from simple_history.manager import HistoryManager

SEED_REASON = "seed data"


def tracked_models():
    return [
        model
        for model in apps.get_models()
        if isinstance(getattr(model, "history", None), HistoryManager)
    ]


def record_current_state(reason=SEED_REASON):
    """Write a version for every tracked row whose current state no version holds yet.

    Fixture loads save rows raw, which django-simple-history does not record. Without
    this, the first edit of a seed row would leave no version to restore the seed from.
    Run after each seed load; a row already recorded as it stands gets nothing new, so
    loading twice changes nothing.
    """
    created = 0
    for model in tracked_models():
        historical = model.history.model
        fields = [field.attname for field in historical.tracked_fields]
        latest = {
            record.pk_value: tuple(getattr(record, name) for name in fields)
            for record in _latest_versions(model)
        }
        new, changed = [], []
        for obj in model._default_manager.all().iterator():
            state = tuple(getattr(obj, name) for name in fields)
            if obj.pk not in latest:
                new.append(obj)
            elif latest[obj.pk] != state:
                changed.append(obj)
        if new:
            model.history.bulk_history_create(new, default_change_reason=reason)
        if changed:
            model.history.bulk_history_create(changed, update=True, default_change_reason=reason)
        created += len(new) + len(changed)
    return created


def _latest_versions(model):
    historical = model.history.model
    pk_name = model._meta.pk.attname
    seen = set()
    for record in historical.objects.order_by(pk_name, "-history_date", "-history_id").iterator():
        key = getattr(record, pk_name)
        if key in seen:
            continue
        seen.add(key)
        record.pk_value = key
        if record.history_type != "-":
            yield record
