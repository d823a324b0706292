"""gunicorn's master loads the site and warms it before it forks the workers."""

import gc
import runpy
from pathlib import Path

from django.template import engines

from config.warmup import warm
from treaties.worldmap import world_shapes

ROOT = Path(__file__).resolve().parent.parent


def test_warming_compiles_every_template_of_the_site_and_asks_nothing_of_the_database():
    # Without the django_db mark, any use of the database here would raise.
    world_shapes.cache_clear()
    compiled = warm()
    on_disk = sorted(
        p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*.html")
    )
    assert sorted(compiled) == on_disk and "treaties/treaty_detail.html" in compiled
    # Kept by the cached template loader, so a worker forked now compiles none of them.
    loader = engines["django"].engine.template_loaders[0]
    assert set(compiled) <= set(loader.get_template_cache)
    assert world_shapes.cache_info().currsize == 1


def test_the_server_configuration_loads_and_warms_the_site_in_the_master():
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    assert config["max_requests"] > 0
    world_shapes.cache_clear()
    try:
        config["when_ready"](None)
        # What was loaded is kept out of the collector's way in every worker.
        assert gc.get_freeze_count() > 0
        assert world_shapes.cache_info().currsize == 1
    finally:
        gc.unfreeze()
