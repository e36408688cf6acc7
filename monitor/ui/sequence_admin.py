"""Saving and deleting a workshop sequence from the Abläufe page.

The button callbacks live here, not in the page script: Streamlit keeps a
session's callbacks after its run (also a closed tab's session, for a reconnect),
and a function defined in a page would keep that run's whole module alive with
it (docs/ARCHITECTURE.md, pitfalls). Writes go through monitor.ui.auth (editors
and admins only).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from monitor.sequences import Sequence, SequenceError, free_id, slugify
from monitor.store import Store
from monitor.ui import auth, data
from monitor.ui.state import lang, tr

__all__ = ["NEW", "MESSAGE", "CHOICE_KEY", "choice_label", "save", "delete"]

NEW = "__neu__"
"""The choice for a new sequence."""
MESSAGE = "_qm_ablauf_message"
"""Session key of the outcome the page shows after the rerun."""
CHOICE_KEY = "w_ablauf_wahl"


def choice_label(sequences: Mapping[str, Sequence], choice: str) -> str:
    """A sequence's title in the UI language, or "new sequence"."""
    return tr("ablauf.new") if choice == NEW else sequences[choice].title(lang())


def save(store: Store, choice: str, draft: dict) -> None:
    """Save the draft (a new one under a free id from its title)."""
    ss = st.session_state
    title = draft["title"].strip()
    if not title:
        ss[MESSAGE] = ("error", tr("ablauf.invalid_title"))
        return
    seq_id = choice
    if choice == NEW:
        seq_id = free_id(slugify(title), set(data.sequences(store)))
    seq = Sequence(seq_id, title, title, tuple(draft["steps"]), "edit")
    try:
        path = auth.save_sequence(store, seq)
    except auth.PermissionDeniedError as exc:
        auth.remember_denial(str(exc))
        return
    except (OSError, SequenceError) as exc:
        ss[MESSAGE] = ("error", tr("security.sequence_invalid", message=str(exc)))
        return
    data.forget_sequences()
    ss[MESSAGE] = ("success", tr("ablauf.saved", path=path.name))
    if choice == NEW:
        ss.pop(f"_qm_draft_{NEW}", None)
        ss[CHOICE_KEY] = seq_id


def delete(store: Store, choice: str) -> None:
    """Delete a saved sequence of the edit folder."""
    ss = st.session_state
    try:
        path = auth.delete_sequence(store, choice)
    except auth.PermissionDeniedError as exc:
        auth.remember_denial(str(exc))
        return
    except (OSError, SequenceError) as exc:
        ss[MESSAGE] = ("error", str(exc))
        return
    data.forget_sequences()
    ss.pop(f"_qm_draft_{choice}", None)
    ss[CHOICE_KEY] = NEW
    ss[MESSAGE] = ("success", tr("security.sequence_deleted", path=path.name))
