"""`python -m api.cli`, as `plaudit`."""

import sys

from api.cli import main

if __name__ == "__main__":
    sys.exit(main())
