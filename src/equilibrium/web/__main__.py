"""``python -m equilibrium.web``: serve the workbench on the configured host and port."""

from equilibrium.web.app import serve

serve()
