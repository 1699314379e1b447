"""Files Flagboard renders for people: templates, notices, backups, safe spreadsheet cells."""
