"""Workshop-Abläufe: build, order and save sequences of views; start them. Saving
and deleting go through monitor.ui.auth (editors and admins only)."""

from functools import partial

import streamlit as st

from monitor.formatting import plain
from monitor.sequences import Step
from monitor.ui import auth, data, layout, sequence_admin
from monitor.ui.state import lang, rerun, set_view, tr
from monitor.viewstate import to_params

store, ctx, view = layout.start_page("ablauf.title")
person = auth.identity(auth.edit_state(store))
auth.account_bar(store, person, key="ablauf_auth")
st.markdown(tr("ablauf.intro"))

sequences = data.sequences(store)
errors = st.session_state.get("_qm_sequence_errors") or []
if errors:
    st.warning(tr("ablauf.errors") + "\n" + "\n".join(f"- {e}" for e in errors))

NEW, MESSAGE = sequence_admin.NEW, sequence_admin.MESSAGE
options = [*sequences, NEW]
choice = st.selectbox(
    tr("ablauf.choose"),
    options,
    key=sequence_admin.CHOICE_KEY,
    format_func=partial(sequence_admin.choice_label, sequences),
)
draft_key = f"_qm_draft_{choice}"
if draft_key not in st.session_state:
    base = sequences.get(choice)
    st.session_state[draft_key] = {
        "title": base.title_de if base else "",
        "steps": list(base.steps) if base else [],
    }
draft = st.session_state[draft_key]
if choice in sequences and sequences[choice].source == "data":
    st.caption(tr("ablauf.shipped_readonly"))

draft["title"] = st.text_input(
    tr("ablauf.seq_title"), value=draft["title"], key=f"w_ablauf_titel_{choice}"
)

# -- steps ----------------------------------------------------------------------------
st.subheader(tr("ablauf.steps_title"))
if not draft["steps"]:
    st.info(tr("ablauf.empty"))
for i, step in enumerate(list(draft["steps"])):
    with st.container(border=True):
        head, buttons = st.columns([4, 2.2])
        with head:
            st.markdown(
                f"**{i + 1}. {plain(step.title(lang())) or tr('nav.' + step.page)}** "
                f"· {tr('nav.' + step.page)}"
            )
            params = ", ".join(f"{k}={v}" for k, v in step.params.items())
            st.caption(plain(params) or "–")
        with buttons:
            b1, b2, b3 = st.columns(3)
            if b1.button(
                "↑", key=f"up_{choice}_{i}", help=tr("ablauf.up"), disabled=i == 0
            ):
                draft["steps"][i - 1], draft["steps"][i] = (
                    draft["steps"][i],
                    draft["steps"][i - 1],
                )
                rerun()
            if b2.button(
                "↓",
                key=f"down_{choice}_{i}",
                help=tr("ablauf.down"),
                disabled=i == len(draft["steps"]) - 1,
            ):
                draft["steps"][i + 1], draft["steps"][i] = (
                    draft["steps"][i],
                    draft["steps"][i + 1],
                )
                rerun()
            if b3.button("✕", key=f"rm_{choice}_{i}", help=tr("ablauf.remove")):
                draft["steps"].pop(i)
                rerun()

# -- add the current view -------------------------------------------------------------
last_page = st.session_state.get("_qm_last_page", "uebersicht")
with st.form(f"add_{choice}", clear_on_submit=True, border=True):
    st.markdown(f"**{tr('ablauf.add_view')}**")
    st.caption(tr("ablauf.add_view_help", page=tr(f"nav.{last_page}")))
    title = st.text_input(tr("ablauf.step_title"))
    note = st.text_area(tr("ablauf.step_note"), height=80)
    if st.form_submit_button(tr("ablauf.add_view"), icon=":material/add:"):
        params = {
            k: v
            for k, v in to_params(view).items()
            if k not in ("ablauf", "schritt", "praesentation", "sprache")
        }
        draft["steps"].append(
            Step(
                page=last_page,
                params=params,
                title_de=title,
                title_en=title,
                note_de=note,
                note_en=note,
            )
        )
        rerun()

# -- save, delete and start ----------------------------------------------------------
message = st.session_state.pop(MESSAGE, None)
if message:
    (st.success if message[0] == "success" else st.error)(message[1])
left, right = st.columns(2)
with left:
    if auth.can(person, "record"):
        st.button(
            tr("ablauf.save"),
            icon=":material/save:",
            type="primary",
            disabled=not draft["steps"],
            key="ablauf_save",
            on_click=sequence_admin.save,
            args=(store, choice, draft),
        )
        if choice in sequences and sequences[choice].source == "edit":
            st.button(
                tr("security.sequence_delete"),
                icon=":material/delete:",
                key="ablauf_delete",
                on_click=sequence_admin.delete,
                args=(store, choice),
            )
    else:
        st.info(tr("security.sequence_needs_role"), icon=":material/lock:")
with right:
    if choice in sequences:
        if st.button(tr("ablauf.start"), icon=":material/slideshow:"):
            set_view(view.with_(sequence=choice, step=1, presentation=True))
            st.session_state.pop("_qm_applied_step", None)
            rerun()
        st.caption(tr("ablauf.open_link"))
        st.code(f"?ablauf={choice}&schritt=1&praesentation=1", language=None)
