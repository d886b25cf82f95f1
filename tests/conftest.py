import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Every parsed frame a test builds is checked against its schema (schemas/parsed.py), as in `check --debug`.
os.environ.setdefault("SEED_CHECK_SHAPES", "1")

# The command keeps its sources' scans between runs (checks/scan_cache.py): in the tests, in a folder
# of this session's own (never the user's cache), and shared by every run of the session as runs share
# the user's.
if not os.environ.get("SEED_CACHE_DIR"):
    import tempfile
    os.environ["SEED_CACHE_DIR"] = tempfile.mkdtemp(prefix="seed-test-cache-")
