"""Documents made from the store: the XLSX template, the 通报 notice (XLSX and PDF) and backups."""
