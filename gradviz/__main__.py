"""``python -m gradviz`` is the ``gradviz`` command."""
import sys

from gradviz.cli import main

sys.exit(main())
