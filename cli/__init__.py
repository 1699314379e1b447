"""The ``flagboard`` command line: one module per verb, dispatched from :mod:`cli.main`."""
