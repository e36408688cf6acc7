"""Controls shared by the pages, each bound to one field of the view state."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import streamlit as st

from monitor.areas import area_options
from monitor.catalog import Catalog
from monitor.formatting import plain
from monitor.methods.classification import SCHEMES
from monitor.points import CATEGORIES
from monitor.ui.state import (
    bound_widget,
    extra,
    lang,
    tr,
    update_extra,
    update_view,
    warn_link_values,
)
from monitor.viewstate import (
    LEVELS,
    Context,
    ViewState,
    ids_param,
    parse_ids,
    safe_excerpt,
)

__all__ = [
    "facility_layer",
    "facility_distance",
    "indicator_options",
    "indicator_select",
    "year_select",
    "level_select",
    "scheme_select",
    "k_select",
    "choice",
    "year_range",
    "linked_areas",
    "areas_multiselect",
    "linked_indicators",
    "indicators_multiselect",
]


def indicator_options(
    catalog: Catalog, ids: Sequence[str] | None = None
) -> tuple[list[str], Callable[[str], str]]:
    """Indicator ids in domain order and their picker label ("Einkommen & Arbeit ·
    Kinderarmut")."""
    options = [
        i.id
        for _, inds in catalog.by_domain()
        for i in inds
        if ids is None or i.id in ids
    ]

    def label(ind_id: str) -> str:
        ind = catalog[ind_id]
        return f"{catalog.domain(ind.domain).name(lang())} · {ind.text('name', lang())}"

    return options, label


def indicator_select(
    catalog: Catalog,
    *,
    key: str = "w_indikator",
    ids: Sequence[str] | None = None,
    label: str | None = None,
) -> str:
    """Indicators grouped by domain, bound to the view's ``indikator``."""
    options, format_func = indicator_options(catalog, ids)
    return bound_widget(
        st.selectbox,
        label or tr("common.indicator"),
        field="indicator",
        key=key,
        options=options,
        format_func=format_func,
    )


def year_select(
    ctx: Context,
    view: ViewState,
    *,
    field: str = "year",
    label_key: str = "common.year",
    key: str = "w_jahr",
) -> int:
    years = list(ctx.indicator_years.get(view.indicator, (view.year,)))
    if len(years) == 1:
        st.markdown(f"**{tr(label_key)}:** {years[0]}")
        return years[0]
    return bound_widget(
        st.select_slider, tr(label_key), field=field, key=key, options=years
    )


def level_select(levels: Sequence[str] = LEVELS, *, key: str = "w_ebene") -> str:
    return bound_widget(
        st.segmented_control,
        tr("common.level"),
        field="level",
        key=key,
        options=list(levels),
        format_func=lambda lv: tr(f"levels.{lv}"),
        selection_mode="single",
        to_view=lambda v: v or "quartier",
    )


def scheme_select(
    *, key: str = "w_klassen", exclude: Sequence[str] = ("diverging",)
) -> str:
    options = [s for s in SCHEMES if s not in exclude]
    return bound_widget(
        st.selectbox,
        tr("karte.scheme"),
        field="scheme",
        key=key,
        options=options,
        format_func=lambda s: tr(f"schemes.{s}"),
    )


def k_select(*, key: str = "w_k") -> int:
    return bound_widget(
        st.select_slider, tr("karte.k"), field="k", key=key, options=[3, 4, 5, 6, 7]
    )


def choice(
    label: str,
    url_key: str,
    options: Sequence[str],
    labels: dict[str, str],
    *,
    default: str,
    widget=st.segmented_control,
    key: str | None = None,
    note: bool = True,
) -> str:
    """A page-specific choice stored under ``url_key`` in the link.

    A link value that is not one of ``options`` gets a note (unless ``note`` is
    False: the page noted it already, or it is valid elsewhere, e.g. a goal hidden
    by a filter) and is dropped from the view, so the written link is valid."""
    key = key or f"w_{url_key}"
    raw = extra(url_key, None, default)
    current = raw if raw in options else default
    if raw != current:
        if note:
            warn_link_values({url_key: raw})
        update_extra(url_key, None)
    st.session_state[key] = current

    def _changed():
        value = st.session_state[key] or default
        update_extra(url_key, None if value == default else value)

    kwargs = {"selection_mode": "single"} if widget is st.segmented_control else {}
    widget(
        label,
        options=list(options),
        key=key,
        on_change=_changed,
        format_func=lambda o: labels[o],
        **kwargs,
    )
    return current


def year_range(
    years: Sequence[int], year_from: int, year: int, label: str, *, key: str = "w_jahre"
) -> tuple[int, int]:
    """A two-handled slider for (jahr_von, jahr)."""
    st.session_state[key] = (year_from, year)

    def _changed():
        value = st.session_state[key]
        if not isinstance(value, list | tuple) or len(value) != 2:
            return
        start, end = value
        if start == end:
            start = max([y for y in years if y < end] or [end])
        update_view(year_from=start, year=end)

    st.select_slider(label, options=list(years), key=key, on_change=_changed)
    return year_from, year


def linked_areas(
    areas, labels: Mapping[str, str], ctx: Context, view: ViewState, n_default: int
) -> list[str]:
    """The link's areas that can be compared (those in ``labels``; a warning names
    the others), else the default areas or the first ``n_default`` of the picker;
    the view follows."""
    chosen = [a for a in view.areas if a in labels]
    dropped = [a for a in view.areas if a not in labels]
    if dropped:
        names = areas.set_index("area_id").name.astype(str)
        shown = plain(", ".join(names.get(a, a) for a in dropped))
        st.warning(tr("vergleich.areas_dropped", names=shown))
    if not chosen:
        chosen = [a for a in ctx.default_areas if a in labels]
        chosen = chosen or area_options(areas)[:n_default]
    if tuple(chosen) != tuple(view.areas):
        update_view(areas=tuple(chosen))
    return chosen


def areas_multiselect(
    areas, labels: Mapping[str, str], *, key: str, max_selections: int
) -> None:
    """Areas to compare (Vergleich, Entwicklung), bound to the view's ``areas``."""
    bound_widget(
        st.multiselect,
        tr("vergleich.areas"),
        field="areas",
        key=key,
        options=area_options(areas),
        format_func=labels.get,
        to_view=tuple,
        from_view=lambda ids: [a for a in ids if a in labels],
        max_selections=max_selections,
        placeholder=tr("vergleich.areas_placeholder"),
    )


def linked_indicators(
    catalog: Catalog, default: Sequence[str], max_n: int
) -> list[str]:
    """The page's ``indikatoren`` from the link (unknown ones named in a
    warning), else ``default``."""
    indicators, bad = parse_ids(extra("indikatoren", None, ""), catalog.ids, max_n)
    if bad:
        st.warning(
            tr("vergleich.indicators_invalid", value=safe_excerpt(",".join(bad))),
            icon=":material/link_off:",
        )
    return indicators or list(default)


def indicators_multiselect(
    catalog: Catalog,
    chosen: Sequence[str],
    *,
    key: str,
    default: Sequence[str],
    max_selections: int,
    follow: str | None = None,
) -> None:
    """Indicators in catalogue order, written into the link's ``indikatoren``
    (:func:`_indicators_changed`)."""
    st.session_state[key] = list(chosen)
    st.multiselect(
        tr("vergleich.indicators"),
        options=[i.id for _, inds in catalog.by_domain() for i in inds],
        format_func=partial(_indicator_name, catalog),
        key=key,
        on_change=partial(_indicators_changed, key, tuple(default), follow),
        max_selections=max_selections,
    )


def _indicator_name(catalog: Catalog, indicator_id: str) -> str:
    return catalog[indicator_id].text("name", lang())


def _indicators_changed(key: str, default: tuple[str, ...], follow: str | None):
    """The picked indicators into the link (``default`` when none is left); with
    ``follow`` (the view's indicator) dropped, the view takes the first picked."""
    picked = st.session_state[key] or list(default)
    update_extra("indikatoren", ids_param(picked, list(default)))
    if follow is not None and follow not in picked:
        update_view(indicator=picked[0])


def facility_layer(
    points, *, key: str = "w_einrichtungen", categories_slot=None
) -> list[str]:
    """The categories of facilities shown on the map: a toggle and, when on, a
    choice of categories, bound to the link key ``einrichtungen`` (``alle`` or
    comma-separated category ids; unknown ones are named in a warning). No
    control at all when the data folder has no facilities. The categories go
    into ``categories_slot`` (a container) if given."""
    if points is None or points.empty:
        return []
    found = set(points.category.unique())
    present = [c for c in CATEGORIES if c in found]
    raw = extra("einrichtungen", None, "")
    chosen = present if raw == "alle" else []
    if raw and raw != "alle":
        chosen, bad = parse_ids(raw, present, len(present))
        if bad:
            st.warning(
                tr("points.link_invalid", value=safe_excerpt(",".join(bad))),
                icon=":material/link_off:",
            )
    st.session_state[key] = bool(chosen)

    def _toggled():
        update_extra("einrichtungen", "alle" if st.session_state[key] else None)

    st.toggle(tr("points.layer_toggle"), key=key, on_change=_toggled)
    if chosen:
        pills = f"{key}_kategorien"
        st.session_state[pills] = list(chosen)

        def _picked():
            picked = [c for c in present if c in (st.session_state[pills] or [])]
            value = "alle" if picked == present else ",".join(picked)
            update_extra("einrichtungen", value or None)

        (categories_slot or st).pills(
            tr("points.categories"),
            options=present,
            selection_mode="multi",
            format_func=lambda c: tr(f"points.category_plural.{c}"),
            key=pills,
            on_change=_picked,
        )
    return chosen


def facility_distance(distances: Sequence[int], default: int = 500) -> int:
    """The straight-line distance (m) of the coverage figures, link key
    ``luftlinie``."""
    options = [str(d) for d in distances]
    picked = choice(
        tr("points.distance"),
        "luftlinie",
        options,
        {o: tr("points.distance_option", m=o) for o in options},
        default=str(default),
    )
    return int(picked)
