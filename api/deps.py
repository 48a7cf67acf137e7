"""FastAPI dependencies as ``Annotated`` aliases (``SettingsDep``, ``StoreDep``, ``ViewerDep``).

The store is opened once by the application's lifespan and kept on ``app.state``; the viewer
comes from the ``Authorization`` header (see :mod:`api.auth`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.auth import authenticate
from api.settings import Settings
from graph.store import GraphStore
from schema.permissions import Viewer

__all__ = ["SettingsDep", "StoreDep", "ViewerDep", "get_app_settings", "get_store", "get_viewer"]


def get_app_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    """The application's store (opened in the lifespan)."""
    store: GraphStore = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]


def get_viewer(request: Request, store: StoreDep, settings: SettingsDep) -> Viewer:
    """The caller of the request; raises :class:`api.auth.AuthError` for bad credentials."""
    return authenticate(store, request.headers.get("authorization"), settings.service_role)


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
