"""The "Editors" group: may add, change, delete and view the content models, nothing else.

Each app grants its own models from a data migration, so a new app extends the group
without touching the others, and declares them in its part of the site (`core.registry`),
from which the group can be made again.

The pages for editors outside the admin (the review page) are for those who hold every
right the group holds (`is_editor`), whether through the group, their own permissions or
as a superuser: being staff is not enough, since a staff account may have been given
the admin for something else (a user manager, a reader of the import log).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.apps import apps as installed_apps
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from .registry import site

if TYPE_CHECKING:
    from django.apps.registry import Apps
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.db.migrations import RunPython
    from django.http import HttpRequest, HttpResponseBase

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


def editor_permissions() -> list[str]:
    """Every right of the Editors group ("app_label.codename"), as the apps declare them."""
    return sorted(
        f"{part.label}.{action}_{model}"
        for part in site.parts()
        for model, actions in part.editor_models.items()
        for action in actions
    )


def is_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A staff account holding every right of the Editors group (a superuser holds them)."""
    if not (isinstance(user, PermissionsMixin) and user.is_active):
        return False
    return bool(getattr(user, "is_staff", False)) and user.has_perms(editor_permissions())


def editor_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For the editors' pages: a visitor not signed in as staff is sent to the admin's
    login (as the admin does); a staff account without the editors' rights gets 403."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not (user.is_active and getattr(user, "is_staff", False)):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not is_editor(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked
