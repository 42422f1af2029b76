"""``python -m pullpath`` runs the same CLI as the console script."""

from pullpath.cli import main

main()
