"""Seed: consistency checks for indicator datasets built from planning documents."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("seed-checks")  # the one version source is pyproject.toml
except PackageNotFoundError:  # run from a checkout that was never installed (bash .ci/bootstrap installs it)
    __version__ = "0+unknown"
