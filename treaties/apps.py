from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = _("Treaties")

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from core.registry import site

        from .models import Treaty
        from .signals import refresh_after_date_change, remember_dates
        from .site_part import PART

        pre_save.connect(remember_dates, sender=Treaty, dispatch_uid="treaties.remember_dates")
        post_save.connect(
            refresh_after_date_change, sender=Treaty, dispatch_uid="treaties.refresh_statuses"
        )
        site.register(PART)
