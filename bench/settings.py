"""The site's own settings, plus the reference view the benchmarks compare pages with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
