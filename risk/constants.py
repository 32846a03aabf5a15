from django.db import models

from contacts.constants import ContactType


class RoshLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


# Lowest to highest, for comparing levels.
ROSH_ORDER = {RoshLevel.LOW: 0, RoshLevel.MEDIUM: 1, RoshLevel.HIGH: 2, RoshLevel.VERY_HIGH: 3}
# Status tag colours (GOV.UK tag modifiers); high and very high are red.
ROSH_COLOURS = {RoshLevel.LOW: "green", RoshLevel.MEDIUM: "yellow"}


class MappaLevel(models.TextChoices):
    NONE = "", "Not MAPPA"
    LEVEL_1 = "1", "MAPPA level 1"
    LEVEL_2 = "2", "MAPPA level 2"
    LEVEL_3 = "3", "MAPPA level 3"


class EnquiryKind(models.TextChoices):
    DOMESTIC_ABUSE = "da", "Police domestic abuse call-out enquiry"
    SAFEGUARDING = "safeguarding", "Children's social care safeguarding enquiry"


class EnquiryResult(models.TextChoices):
    PENDING = "", "Waiting for response"
    NO_INCIDENTS = "none", "No incidents"
    INCIDENTS = "incidents", "Incidents found"
    NO_RESPONSE = "no_response", "No response"


ENQUIRY_RESULT_COLOURS = {
    EnquiryResult.NO_INCIDENTS: "green",
    EnquiryResult.INCIDENTS: "red",
    EnquiryResult.NO_RESPONSE: "yellow",
}


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "na", "Not applicable"


class CheckTrigger(models.TextChoices):
    """Changes that call for the police and children's services checks again, whatever the schedule
    (HMPPS domestic abuse and safeguarding policy; see the domain notes)."""

    NEW_RELATIONSHIP = "relationship", "A new relationship"
    NEW_ADDRESS = "address", "A new address"
    CONTACT_WITH_CHILDREN = "children", "Contact with children"
    NEW_INCIDENT = "incident", "A new incident"


class ScheduleSource(models.TextChoices):
    PROTOCOL = "protocol", "Allocation protocol"
    MANUAL = "manual", "Set by hand"


# Contact codes logged when an enquiry is requested and when its response arrives.
ENQUIRY_CONTACT_CODES = {
    EnquiryKind.DOMESTIC_ABUSE: (ContactType.C369, ContactType.C515),
    EnquiryKind.SAFEGUARDING: (ContactType.SFGC, ContactType.SFRR),
}
