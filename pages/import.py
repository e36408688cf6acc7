"""Daten importieren (admins): official files into a staging version, checked,
protected, previewed and published; earlier versions served again by rollback."""

from monitor.ui import import_admin, layout

store, ctx, view = layout.start_page("import.title")
import_admin.require_admin(store)
root = import_admin.versioned_root_or_stop(store)
import_admin.flash()
import_admin.import_panel(store, root)
import_admin.staged_panel(store, root)
import_admin.versions_panel(store, root)
