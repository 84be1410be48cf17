"""The web workbench: a FastAPI app (:func:`equilibrium.web.app.create_app`) over the library, plus the built
front-end (``static/``, made by ``npm run build`` in ``web/``). Importing this package has no side effects."""
