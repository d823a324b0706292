"""The site's settings, serving tests.stream_urls."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.stream_urls"
