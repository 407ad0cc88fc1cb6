"""Settings for the pages benchmark: the project's own settings (production
mode comes from the environment the benchmark sets) plus a URLconf with the
hello-world yardstick. Nothing else differs from what production runs."""

from mikrolaan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
