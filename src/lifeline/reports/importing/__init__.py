"""Import of the spreadsheets networks already keep: upload, map the columns once, dry run,
confirm, import in the background, roll back as a whole (docs/reports-import.md)."""
