"""``python -m monitor.ingest``: see monitor/ingest/cli.py."""

import sys

from monitor.ingest.cli import main

sys.exit(main())
