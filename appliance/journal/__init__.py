"""The electronic journal: lessons, marks, attendance, quarters and the audit log."""
