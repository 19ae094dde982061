"""The survey itself: the export contract, delivery naming, personal data. Pure rules, no I/O
beyond listing a folder; imports nothing else of the project."""
