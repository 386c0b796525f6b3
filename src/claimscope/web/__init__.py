"""The web app and JSON API (``claimscope serve``): pages over the store, each with a JSON twin.

Requires: the ``web`` extra (fastapi, uvicorn, jinja2, python-multipart, httpx).
Provides: ``create_app``. Modules: ``app`` (factory, shared data functions, error mapping), ``routes``
(pages and their ``/api`` twins), ``highlight`` (the marked-up article text), ``chart`` (server-drawn
SVG), ``limits`` (body limit, security headers). URL fetching is ``claimscope.sources.fetch``, the one
network module.
"""

from __future__ import annotations

from claimscope.web.app import create_app

__all__ = ["create_app"]
