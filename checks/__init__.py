"""Seed: consistency checks for indicator datasets built from planning documents."""

import warnings
from importlib.metadata import PackageNotFoundError, version

# pandera imports pyspark.pandas whenever pyspark is installed (the `spark` extra), which warns that it
# does not yet support pandas 3 at every start of `check` and of each Spark worker. Seed's Spark engine
# passes its tasks through Spark's RDDs only (checks/distributed.py), never pyspark.pandas.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

try:
    __version__ = version("seed-checks")  # the one version source is pyproject.toml
except PackageNotFoundError:  # run from a checkout that was never installed (bash .ci/bootstrap installs it)
    __version__ = "0+unknown"
