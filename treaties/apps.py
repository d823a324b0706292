from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = _("Treaties")
    # Editors' rights added after the first data migration (see core.editors): editors
    # import files and read the log of imports, which no one edits.
    editor_permissions_since = {"importbatch": ("add", "view")}

    def load_seed_imports(self, fixture_dir, verbosity=0):
        """Called by `load_seed` after the seed fixtures: the record beyond the documents."""
        from .seed import load_imports

        return load_imports(fixture_dir, verbosity=verbosity)

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from .models import Treaty
        from .signals import refresh_after_date_change, remember_dates

        pre_save.connect(remember_dates, sender=Treaty, dispatch_uid="treaties.remember_dates")
        post_save.connect(
            refresh_after_date_change, sender=Treaty, dispatch_uid="treaties.refresh_statuses"
        )
