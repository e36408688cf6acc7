"""Daten importieren (admins): official files into a staging version, checked,
protected, previewed and published; earlier versions served again by rollback."""

from monitor.ui import import_admin, layout, version_admin

store, ctx, view = layout.start_page("import.title")
version_admin.require_admin(store)
root = version_admin.versioned_root_or_stop(store)
version_admin.flash()
import_admin.import_panel(store, root)
version_admin.staged_panel(store, root)
version_admin.versions_panel(store, root)
