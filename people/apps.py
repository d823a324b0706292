from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Study group and people")

    def ready(self):
        from core.registry import site

        from .site_part import PART

        site.register(PART)
