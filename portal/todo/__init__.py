"""Every role's to-do list: panels of counts, each linked to the filtered list it counts. One
module per app's panels; `assembly.panels_for(user)` picks a role's."""

from .assembly import panels_for

__all__ = ["panels_for"]
