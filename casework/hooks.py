"""Signals other apps listen to, in a module of their own so services can send them without an import loop."""

from django.dispatch import Signal

# Sent by casework.services.case_close inside its transaction, with case, actor, closed_on and reason.
# contacts records the termination contact and ends the contact plan (contacts.signals).
case_closed = Signal()
