from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Sources and site")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_save
        from simple_history.signals import post_create_historical_record

        from .cache import install as watch_content_writes
        from .database import bound_answers
        from .editors import ACTIONS
        from .registry import SitePart, site
        from .search import source_finder
        from .signals import mark_raw_save, record_change

        # Every write to a content table makes stored pages out of date (core/cache.py).
        connection_created.connect(watch_content_writes, dispatch_uid="core.page_cache")
        # No round trip to PostgreSQL waits without end (core/database.py).
        connection_created.connect(bound_answers, dispatch_uid="core.bound_answers")
        post_save.connect(mark_raw_save, dispatch_uid="core.mark_raw_save")
        post_create_historical_record.connect(record_change, dispatch_uid="core.record_change")
        site.register(
            SitePart(
                label=self.label,
                seed_fixture="core.json",
                editor_models={"source": ACTIONS},
                exports=["core:source-export"],
                finders=[source_finder()],
            )
        )
