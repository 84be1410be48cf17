"""The command-line edge: Typer commands that parse, call the library and render (Rich or ``--json``)."""
