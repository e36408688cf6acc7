"""A plotly figure built once and then only read, by every session of a process.

``st.plotly_chart`` turns the figure into a dict on every script run
(``plotly.tools.return_figure_from_figure_or_data`` calls ``Figure.to_dict``, a
deep copy of data and layout) before it serialises that dict. For a figure held in
``st.cache_resource`` the copy protects nothing: nobody changes it. On the start
page the six cached figures spent 11 of the 14 ms that plotly took per run in that
copy (docs/PERFORMANCE.md, "Script run time per page"). A :class:`SharedFigure`
makes the dict once, when it is cached, and hands out that dict from then on.
"""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["SharedFigure", "shared"]


class SharedFigure(go.Figure):
    """A read-only ``go.Figure`` whose ``to_dict`` is computed once.

    Do not change it after :func:`shared`: the dict would not follow (the cached
    figures of monitor/ui/*_data.py are read-only by contract).
    """

    _qm_dict: dict

    def to_dict(self) -> dict:
        return self._qm_dict


def shared(fig: go.Figure) -> SharedFigure:
    """``fig`` as a :class:`SharedFigure` (the figure itself, not a copy)."""
    as_dict = fig.to_dict()
    fig.__class__ = SharedFigure
    fig._qm_dict = as_dict
    return fig
