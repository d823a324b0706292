"""The "Editors" group: may add, change, delete and view the content models, nothing else.

Each app grants its own models from a data migration, so a new app extends the group
without touching the others, and declares them in its part of the site (`core.registry`),
from which the group can be made again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.apps import apps as installed_apps

from .registry import site

if TYPE_CHECKING:
    from django.apps.registry import Apps
    from django.db.migrations import RunPython

EDITORS_GROUP = "Editors"
ACTIONS = ("add", "change", "delete", "view")


def grant_editor_permissions(
    apps: Apps, app_label: str, model_names: Sequence[str], actions: Sequence[str] = ACTIONS
) -> None:
    """For use in a RunPython migration: give the Editors group rights on these models."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure they exist now.
    app_config = apps.get_app_config(app_label)
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        # A migration state's stub lacks it; create_permissions only tests it for truth.
        app_config.models_module = True  # type: ignore[assignment]  # stubs: a module or None
    create_permissions(app_config, verbosity=0, apps=apps)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [f"{action}_{model}" for model in model_names for action in actions]
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions not found for the Editors group: {sorted(missing)}")
    group.permissions.add(*permissions)


def editor_permissions_operation(
    app_label: str, model_names: Sequence[str], actions: Sequence[str] = ACTIONS
) -> RunPython:
    """The RunPython operation of an app's data migration granting the Editors group its models.

    `actions` narrows the rights, e.g. ("add", "view") for a log editors write but never edit.
    """
    from django.db import migrations

    return migrations.RunPython(
        lambda apps, schema_editor: grant_editor_permissions(apps, app_label, model_names, actions),
        lambda apps, schema_editor: revoke_editor_permissions(
            apps, app_label, model_names, actions
        ),
    )


def revoke_editor_permissions(
    apps: Apps, app_label: str, model_names: Sequence[str], actions: Sequence[str] = ACTIONS
) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for model in model_names for action in actions]
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def ensure_editors_group() -> None:
    """Create the group with its rights again (e.g. after a database flush), as each app
    declares them in its part of the site."""
    for part in site.parts():
        for model, actions in part.editor_models.items():
            grant_editor_permissions(installed_apps, part.label, [model], actions)
