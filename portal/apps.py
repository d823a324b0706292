from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site as a whole: the pages and commands that span every app.

    It sits above the domain apps and imports them; nothing imports it. What it shows of
    each app it learns from the registry in `core.registry`, which the apps fill.
    """

    name = "portal"
    verbose_name = _("Site")

    def ready(self):
        from core.registry import SitePart, site

        # The change log belongs to the site as a whole; its records are core's.
        site.register(SitePart(label=self.label, exports=["portal:change-export"], public=False))
