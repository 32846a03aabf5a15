from django.db import models


class RoshLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


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


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "na", "Not applicable"


# Contact codes logged when an enquiry is requested and when its response arrives.
ENQUIRY_CONTACT_CODES = {
    EnquiryKind.DOMESTIC_ABUSE: ("C369", "C515"),
    EnquiryKind.SAFEGUARDING: ("SFGC", "SFRR"),
}
