"""The records panels: problem cards, partners and consultations, the action plan and the
best-practices library, over ``portrait.records``. ``ui.records.pages.RecordPages`` is what
the main window uses."""
