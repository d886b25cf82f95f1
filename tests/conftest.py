import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Every parsed frame a test builds is checked against its schema (schemas/parsed.py), as in `check --debug`.
os.environ.setdefault("SEED_CHECK_SHAPES", "1")
