"""Pieces every app uses: GOV.UK form fields, the case-loading view mixin, enqueue after commit,
admin bases and the CSV writer. Nothing here knows about one domain app's rules."""
