"""`python -m merlin_assets.cli`: the same command as `merlin`."""

from merlin_assets.cli.app import main

main()
