"""Files Flagboard renders for people from the store: the XLSX template, the 通报 notice, backups, and safe
spreadsheet cells (neutralise)."""
